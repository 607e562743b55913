// The server's structured JSON logger (pino).
import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'sitrep' } });
}
