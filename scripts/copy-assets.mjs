// Copies the non-TypeScript files the compiled server reads next to its modules (dist/ mirrors src/).
import { cpSync } from 'node:fs';

cpSync('src/http/page', 'dist/http/page', { recursive: true });
cpSync('src/text/synonyms.json', 'dist/text/synonyms.json');
cpSync('src/rank', 'dist/rank', { recursive: true, filter: (f) => !f.endsWith('.ts') });
cpSync('src/understand', 'dist/understand', { recursive: true, filter: (f) => !f.endsWith('.ts') });
