import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { CustomResourceEvent, CustomResourceResult } from './events';

/** CloudFormation: "The total size of the response body can't exceed 4096 bytes." */
const MAX_BODY_BYTES = 4096;
/** Ends a reason that was shortened to fit. */
const SHORTENED = '...';

export interface FailureResponse {
  readonly physicalResourceId: string;
  readonly reason: string;
}

/**
 * The body CloudFormation expects at the response URL. A reason that would make the body, as sent
 * (JSON-escaped, UTF-8), longer than CloudFormation accepts is shortened to the longest start that
 * fits, ending in '...'.
 */
export function responseBody(event: CustomResourceEvent, outcome: CustomResourceResult | FailureResponse): string {
  const failed = 'reason' in outcome;
  const body = (reason?: string) => JSON.stringify({
    Status: failed ? 'FAILED' : 'SUCCESS',
    Reason: reason,
    PhysicalResourceId: outcome.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: failed ? undefined : outcome.data,
  });
  if (!failed) {
    return body();
  }
  const whole = body(outcome.reason);
  if (fits(whole)) {
    return whole;
  }
  // Code points, so that a cut never splits a surrogate pair; the longest fitting start, by bisection.
  const chars = Array.from(outcome.reason);
  const shortened = (length: number) => body(chars.slice(0, length).join('') + SHORTENED);
  let low = 0;
  let high = chars.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(shortened(mid))) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  return shortened(low);
}

function fits(body: string): boolean {
  return Buffer.byteLength(body) <= MAX_BODY_BYTES;
}

/** Sends the outcome to the pre-signed response URL (an HTTP URL is only used by tests). */
export function sendResponse(event: CustomResourceEvent, outcome: CustomResourceResult | FailureResponse): Promise<void> {
  const body = responseBody(event, outcome);
  const url = new URL(event.ResponseURL);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: 'PUT',
      // The URL is signed without a content type, so none may be sent.
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode ?? 500) < 300
        ? resolve()
        : reject(new Error(`the response URL answered HTTP ${response.statusCode}`)));
    });
    request.on('error', reject);
    request.end(body);
  });
}
