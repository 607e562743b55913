// The document worker thread's body: serves documentJobs (started by documentThread.ts).
import { serveJobs } from '../worker/serveJobs.js';
import { documentJobs } from './documentJobs.js';

serveJobs(documentJobs);
