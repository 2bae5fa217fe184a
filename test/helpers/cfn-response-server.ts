import * as http from 'http';
import { closeServer, listenLocally } from './local-server';

/** One response a custom resource sent to its ResponseURL. */
export interface RecordedResponse {
  readonly method: string;
  /** The path and query string, as on a pre-signed S3 URL. */
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  readonly body: any;
  readonly rawBody: string;
}

/**
 * Stands in for the pre-signed S3 URL CloudFormation gives a custom resource as ResponseURL:
 * records every request and answers 200 as S3 does to a PUT, or `statusCode`. The URL is plain
 * http, so the code under test must pick http or https by the URL's protocol.
 */
export class CfnResponseServer {
  /** Every response received, in order. */
  public readonly responses: RecordedResponse[] = [];
  /** The HTTP status to answer with, e.g. 403 for an expired URL; `reset()` restores 200. */
  public statusCode = 200;

  private readonly server = http.createServer((req, res) => this.onRequest(req, res));
  private baseUrl?: string;
  /** How many responses `nextResponse()` has handed out. */
  private delivered = 0;
  private readonly waiting: Array<(response: RecordedResponse) => void> = [];

  /** Listens on 127.0.0.1 on a free port and resolves the base URL; any path below it is accepted. */
  public async start(): Promise<string> {
    this.baseUrl = await listenLocally(this.server);
    return this.baseUrl;
  }

  public async stop(): Promise<void> {
    await closeServer(this.server);
  }

  public get url(): string {
    if (!this.baseUrl) {
      throw new Error('the response server is not started: call start() first');
    }
    return this.baseUrl;
  }

  /**
   * The first response not yet handed out by an earlier call, waiting for it if it has not
   * arrived, so a response sent before the test awaits it is not missed.
   */
  public nextResponse(timeoutMs = 5_000): Promise<RecordedResponse> {
    if (this.delivered < this.responses.length) {
      return Promise.resolve(this.responses[this.delivered++]);
    }
    return new Promise((resolve, reject) => {
      const take = (response: RecordedResponse) => {
        clearTimeout(timer);
        resolve(response);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        reject(new Error(`no custom-resource response within ${timeoutMs} ms (${this.responses.length} received so far)`));
      }, timeoutMs);
      this.waiting.push(take);
    });
  }

  /** Forgets the recorded responses and answers 200 again; callers still waiting keep waiting for the next one. */
  public reset(): void {
    this.responses.length = 0;
    this.delivered = 0;
    this.statusCode = 200;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const response = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: parseJson(rawBody), rawBody };
      this.responses.push(response);
      const waiter = this.waiting.shift();
      if (waiter) {
        this.delivered += 1;
        waiter(response);
      }
      res.writeHead(this.statusCode, { 'content-length': 0 });
      res.end();
    });
  }
}

function parseJson(text: string): any {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
