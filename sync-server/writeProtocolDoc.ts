// `npm run protocol`: rewrites the generated schema appendix of PROTOCOL.md from the code.
import { readFile, writeFile } from 'node:fs/promises';
import { withAppendix } from './protocol/protocolSchemas';

const path = new URL('./PROTOCOL.md', import.meta.url);
await writeFile(path, withAppendix(await readFile(path, 'utf8')));
console.log('PROTOCOL.md: schema appendix updated.');
