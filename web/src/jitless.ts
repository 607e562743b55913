// zod compiles object parsers with `new Function` when it can, and probes for it as each object
// schema is made. The dashboard's CSP allows no eval: the probe fails and is reported as a
// violation. Imported first (before any module that makes a schema), this turns both off.
import { z } from 'zod';

z.config({ jitless: true });
