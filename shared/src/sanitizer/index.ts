// The sanitizer: secrets, private data and blame, for Node (server, CLI, SDK, MCP, hooks). Kept
// out of the main entry because secretlint's preset imports node:path and placeholders use
// node:crypto.
export * from './blame.js';
export * from './dataTypes.js';
export * from './placeholder.js';
export * from './policy.js';
export * from './privateData.js';
export * from './redact.js';
export * from './sanitize.js';
export * from './scanner.js';
