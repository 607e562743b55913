// The dashboard's entry point.
import './jitless.js'; // first: before any schema is made
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

mount(App, { target: document.getElementById('app') as HTMLElement });
