// `sitrep serve`: starts a server in this process (configuration from SITREP_* variables, --host
// and --port over them), seeds the demo incident with --demo, and stops cleanly on SIGINT or
// SIGTERM. The only command that loads the server.
import { z } from 'zod';
import { type Command, parse } from './args.js';

const ARGS = {
  flags: { demo: z.boolean().optional(), host: z.string().optional(), port: z.string().optional() },
} as const;

const serve: Command = async (argv) => {
  const { flags: v } = parse(argv, ARGS);
  const { loadConfig } = await import('../config.js');
  const { createLogger } = await import('../log.js');
  const { startServer } = await import('../main.js');
  const env = { ...process.env };
  if (v.host !== undefined) env.SITREP_HOST = v.host;
  if (v.port !== undefined) env.SITREP_PORT = v.port;
  const config = loadConfig(env);
  const log = createLogger(config.logLevel);
  const server = await startServer(config, log);
  if (v.demo) {
    const { seedDemo } = await import('../demo.js');
    await seedDemo(server.store, server.rooms, log);
  }
  const lines = [`sitrep is running at ${server.url}${v.demo ? ' with the demo incident' : ''}`];
  if (server.bootstrap) {
    lines.push(
      `admin token (shown once; also saved to ${server.bootstrap.file}, mode 0600):`,
      `  ${server.bootstrap.token}`,
      `open ${server.url}/#token=${server.bootstrap.token}`,
    );
  } else {
    lines.push(
      `sign in at ${server.url}/#token=<token> (the first admin token is in ${config.dataDir}/admin-token)`,
    );
  }
  process.stderr.write(`\n${lines.join('\n')}\n\n`);
  const stop = () => {
    process.stderr.write('sitrep is stopping\n');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};
export default serve;
