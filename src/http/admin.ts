import { requireBearer } from './auth.js';
import { Router, type RequestHandler } from 'express';
import type { EngineHolder } from '../engine-holder.js';

/**
 * POST /api/admin/reload: rebuilds the index from the corpus folder in the background and swaps it in when
 * it is complete and verified; the old index keeps answering meanwhile. Always needs a bearer token
 * (RUGWIJS_ADMIN_TOKEN, else RUGWIJS_API_TOKEN); with neither configured the route answers 401, because an
 * unauthenticated caller must not be able to make the server rebuild.
 * Answers 202 with the reload status at once, or with `?wait=true` 200 with the outcome
 * (`swapped` | `unchanged` | `failed`, the last keeping the old build).
 */
export function createAdminRouter(holder: EngineHolder, token: string | undefined): Router {
  const router = Router();
  router.post('/reload', requireToken(token), async (req, res) => {
    const wait = /^(1|true|yes)$/iu.test(String(req.query.wait ?? ''));
    const running = holder.reload('POST /api/admin/reload');
    if (!wait) {
      res.status(202).json({ status: 'accepted', reload: holder.status() });
      return;
    }
    const result = await running;
    res.status(200).json({ ...result, reload: holder.status() });
  });
  return router;
}

function requireToken(token: string | undefined): RequestHandler {
  return requireBearer(
    token,
    'Missing or wrong bearer token (Authorization: Bearer <RUGWIJS_ADMIN_TOKEN>).',
    'Reload over HTTP is disabled: set RUGWIJS_ADMIN_TOKEN (or RUGWIJS_API_TOKEN) and send it as a bearer token.',
  );
}
