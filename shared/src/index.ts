// The corpus model shared by the server, the dashboard and harness clients.
export * from './doc.js';
export * from './entry.js';
export * from './error.js';
export * from './storable.js';
export * from './incident.js';
export * from './role.js';
export * from './theory.js';
export * from './api.js';
export * from './apiClient.js';
export * from './view.js';
export * from './presence.js';
export * from './rulesView.js';
export * from './rulesHeadline.js';
export * from './timeline.js';
export * from './exportDocument.js';
export * from './brief.js';
export * from './sdk/SitrepClient.js';
