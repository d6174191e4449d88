import { Router, type Request } from 'express';
import { ask, getSource, listSources, search, type Engine } from '../engine.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { AskInputSchema, SearchInputSchema, SourceFileSchema } from '../schemas.js';
import { validate } from '../validate.js';
import { toHttpError } from './errors.js';
import { answerEvents, openEventStream } from './sse.js';

export interface ApiRouteDeps {
  /** Returns the loaded engine or throws AppError('not_ready') while the index is still loading. */
  engine: () => Engine;
  logger: Logger;
}

/**
 * The JSON API, mounted at /api: POST /ask (JSON or SSE), POST /search, GET /sources, GET /sources/:file.
 * Input is validated with the shared zod schemas before the engine is touched, so bad input is a 400 even
 * while the index loads.
 */
export function createApiRouter(deps: ApiRouteDeps): Router {
  const router = Router();

  router.post('/ask', async (req, res) => {
    const input = validate(AskInputSchema, jsonBody(req));
    const engine = deps.engine();
    if (req.accepts(['application/json', 'text/event-stream']) !== 'text/event-stream') {
      res.json(await ask(engine, input));
      return;
    }
    const stream = openEventStream(res);
    try {
      const answer = await ask(engine, input);
      for (const e of answerEvents(answer)) stream.send(e);
    } catch (err) {
      // The status line is already sent: the failure travels as an `error` event in the shared shape.
      const { status, body } = toHttpError(err);
      if (status >= 500) deps.logger.error({ err }, 'ask failed during an event stream');
      stream.send({ event: 'error', data: body.error });
    } finally {
      stream.end();
    }
  });

  router.post('/search', async (req, res) => {
    const input = validate(SearchInputSchema, jsonBody(req));
    res.json(await search(deps.engine(), input));
  });

  router.get('/sources', (_req, res) => {
    res.json({ sources: listSources(deps.engine()) });
  });

  router.get('/sources/:file', (req, res) => {
    const { file } = validate(SourceFileSchema, { file: req.params.file });
    res.json(getSource(deps.engine(), file));
  });

  // Anything with more path segments (a decoded "/" never reaches :file) is a path, not a file name.
  router.all('/sources/*rest', () => {
    throw new AppError('validation_error', 'file must be a bare file name such as 004_beb946dfbc2e71d7.txt');
  });

  return router;
}

/** The parsed JSON body; express.json leaves it undefined when the request was not JSON. */
function jsonBody(req: Request): unknown {
  if (req.body === undefined) {
    throw new AppError('bad_request', 'Send a JSON body with Content-Type: application/json.');
  }
  return req.body;
}
