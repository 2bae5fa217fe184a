import * as http from 'http';
import { closeServer, listenLocally } from '../../helpers/local-server';

/**
 * Stands between the handler's Image Builder client and the fake endpoint, which does not model
 * tags, and adds what the service does with them: the `tags` of StartImagePipelineExecution are
 * kept on the image it created, and GetImage returns them in `image.tags`. Every request and
 * answer passes through otherwise unchanged, so the fake still records and answers everything.
 */
export class ImageTagsProxy {
  private readonly server = http.createServer((req, res) => this.onRequest(req, res));
  private readonly tags = new Map<string, Record<string, string>>();
  private baseUrl?: string;
  private target?: URL;

  /** Listens on 127.0.0.1 and resolves the URL to give the client in place of `targetUrl`. */
  public async start(targetUrl: string): Promise<string> {
    this.target = new URL(targetUrl);
    this.baseUrl = await listenLocally(this.server);
    return this.baseUrl;
  }

  public async stop(): Promise<void> {
    await closeServer(this.server);
  }

  public reset(): void {
    this.tags.clear();
  }

  /** The tags the image was created with, if any. */
  public tagsOf(imageBuildVersionArn: string): Record<string, string> | undefined {
    return this.tags.get(imageBuildVersionArn);
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const requestBody = Buffer.concat(chunks);
      const forwarded = http.request({
        host: this.target!.hostname,
        port: this.target!.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target!.host },
      }, (answer) => {
        const answerChunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
        answer.on('end', () => {
          const body = this.withTags(req, requestBody, answer.statusCode ?? 500, Buffer.concat(answerChunks).toString('utf8'));
          res.writeHead(answer.statusCode ?? 500, { ...answer.headers, 'content-length': Buffer.byteLength(body) });
          res.end(body);
        });
      });
      forwarded.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forwarded.end(requestBody);
    });
  }

  private withTags(req: http.IncomingMessage, requestBody: Buffer, status: number, body: string): string {
    if (status >= 300) {
      return body;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'PUT' && path === '/StartImagePipelineExecution') {
      const tags = JSON.parse(requestBody.toString('utf8')).tags;
      const arn = JSON.parse(body).imageBuildVersionArn;
      // A repeated client token answers with the first call's image, which keeps the first call's tags.
      if (tags && !this.tags.has(arn)) {
        this.tags.set(arn, tags);
      }
    }
    if (req.method === 'GET' && path === '/GetImage') {
      const answer = JSON.parse(body);
      const tags = this.tags.get(answer.image?.arn);
      return tags ? JSON.stringify({ ...answer, image: { ...answer.image, tags } }) : body;
    }
    return body;
  }
}
