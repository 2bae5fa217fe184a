import { sendResponse } from './cfn-response';
import { HandlerDependencies } from './dependencies';
import { FailedAfterCreatingError } from './errors';
import {
  CustomResourceEvent, CustomResourceResult, InvocationContext, PIPELINE_EXECUTION_TYPE, PIPELINE_IMAGES_TYPE, RESOURCE_POLICY_TYPE,
} from './events';
import { describeEvent, log } from './log';
import { handlePipelineExecution } from './pipeline-execution';
import { handlePipelineImages } from './pipeline-images';
import { handleResourcePolicy } from './resource-policy';

/**
 * Handles one request of any of the library's custom resource types and answers CloudFormation,
 * with the failure's reason when it fails (never an answer that leaves the stack waiting).
 */
export async function processEvent(event: CustomResourceEvent, context: InvocationContext, deps: HandlerDependencies): Promise<void> {
  log(deps, 'info', 'request', { event: describeEvent(event) });
  let outcome: CustomResourceResult | 'handed-over';
  try {
    outcome = await dispatch(event, context, deps);
  } catch (error) {
    const reason = (error as Error)?.message ?? String(error);
    log(deps, 'error', 'request failed', { reason, requestType: event.RequestType, logicalResourceId: event.LogicalResourceId });
    // A failed Create has no resource (unless it names one); this ID tells its rollback Delete so.
    const created = error instanceof FailedAfterCreatingError ? error.physicalResourceId : undefined;
    const physicalResourceId = event.PhysicalResourceId ?? created ?? failedCreateId(event);
    await sendResponse(event, { physicalResourceId, reason });
    return;
  }
  if (outcome === 'handed-over') {
    return;
  }
  log(deps, 'info', 'request succeeded', { physicalResourceId: outcome.physicalResourceId, data: outcome.data });
  await sendResponse(event, outcome);
}

function dispatch(event: CustomResourceEvent, context: InvocationContext, deps: HandlerDependencies) {
  switch (event.ResourceType) {
    case RESOURCE_POLICY_TYPE:
      return handleResourcePolicy(event, context, deps);
    case PIPELINE_EXECUTION_TYPE:
      return handlePipelineExecution(event, context, deps);
    case PIPELINE_IMAGES_TYPE:
      return handlePipelineImages(event, context, deps);
    default:
      // Only a template written by hand sends another type: the constructs send these three.
      throw new Error(`unknown resource type ${event.ResourceType}`);
  }
}

function failedCreateId(event: CustomResourceEvent): string {
  return `failed-create:${event.LogicalResourceId}:${event.RequestId}`;
}
