// The secret scanner and redaction, for Node (server, CLI, SDK). Kept out of the main entry
// because secretlint's preset imports node:path.
export * from './redact.js';
export * from './scanner.js';
