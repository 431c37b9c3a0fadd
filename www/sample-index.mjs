// Lists the sample org's files for the "Load sample org" button: node sample-index.mjs DIR
import { readdirSync } from 'node:fs';
const dir = process.argv[2];
const files = readdirSync(dir).filter((f) => f !== 'index.json').sort().map((name) => ({ name }));
process.stdout.write(JSON.stringify(files, null, 2) + '\n');
