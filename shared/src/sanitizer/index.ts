// The sanitizer: secrets, private data and blame, for Node (server, CLI, SDK, MCP, hooks). Kept
// out of the main entry because secretlint's preset imports node:path and placeholders use
// node:crypto.
export * from './blame.js';
/** Every string of a JSON value rewritten: for redaction here, for stand-ins in blameless drafts. */
export { mapStrings } from './joinedScan.js';
export * from './dataTypes.js';
export * from './entries.js';
export * from './placeholder.js';
export * from './policy.js';
export * from './privateData.js';
export * from './redact.js';
export * from './sanitize.js';
export * from './scanner.js';
