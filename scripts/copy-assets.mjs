// Copies every non-TypeScript file under src/ (the chat page, JSON data tables, …) next to the compiled
// modules, so dist/ mirrors src/ and a data file added to src/ needs no change here.
import { cpSync } from 'node:fs';

cpSync('src', 'dist', { recursive: true, filter: (src) => !src.endsWith('.ts') });
