import * as http from 'http';
import * as https from 'https';
import { CustomResourceEvent, CustomResourceResult } from './events';

/** CloudFormation rejects responses over 4 KB; the reason is the only part that can grow. */
const MAX_REASON_LENGTH = 2000;

export interface FailureResponse {
  readonly physicalResourceId: string;
  readonly reason: string;
}

/** The body CloudFormation expects at the response URL. */
export function responseBody(event: CustomResourceEvent, outcome: CustomResourceResult | FailureResponse): string {
  const failed = 'reason' in outcome;
  return JSON.stringify({
    Status: failed ? 'FAILED' : 'SUCCESS',
    Reason: failed ? truncate(outcome.reason) : undefined,
    PhysicalResourceId: outcome.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: failed ? undefined : outcome.data,
  });
}

/** Sends the outcome to the pre-signed response URL (an HTTP URL is only used by tests). */
export function sendResponse(event: CustomResourceEvent, outcome: CustomResourceResult | FailureResponse): Promise<void> {
  const body = responseBody(event, outcome);
  const url = new URL(event.ResponseURL);
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
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

function truncate(reason: string): string {
  return reason.length <= MAX_REASON_LENGTH ? reason : `${reason.slice(0, MAX_REASON_LENGTH - 3)}...`;
}
