import { clientToken } from './client-token';
import { HandlerDependencies } from './dependencies';
import { unlessNotFound } from './errors';
import { AUTO_DELETE_IMAGES_TAG, CustomResourceEvent, CustomResourceResult, InvocationContext } from './events';
import {
  GetImagePipelineCommand,
  GetLifecycleExecutionCommand,
  ImagePipeline,
  StartResourceStateUpdateCommand,
} from './imagebuilder-sdk';
import { cancelIfUnfinished, findImage, listPipelineImages, TERMINAL_STATES } from './pipeline-execution';
import { callWithRetry } from './retry';
import { HANDED_OVER, invokeAgain, poll, runsShort, waitDeadline } from './waits';

/** Operation names, for the calls and the client tokens derived from them. */
const START_RESOURCE_STATE_UPDATE = 'StartResourceStateUpdate';

/** Lifecycle execution states after which nothing changes (GetLifecycleExecution). */
const FINISHED_DELETIONS = ['SUCCESS', 'FAILED', 'CANCELLED'];

/**
 * Create and Update only name the pipeline. Delete, while the pipeline still carries the tag
 * AUTO_DELETE_IMAGES_TAG (so is being deleted too), removes every image the pipeline built, with
 * what each distributed: AMIs and their snapshots, or container images. Image Builder deletes them
 * (StartResourceStateUpdate to DELETED) as the execution role the properties name; builds still
 * running are cancelled first. The answer waits until every deletion has finished, so that the
 * role, which CloudFormation deletes after this resource, is still there while they run; a wait
 * longer than this invocation continues in a new one, which runs the same request again towards
 * the same deadline: its client tokens make the service answer with the deletions already started.
 */
export async function handlePipelineImages(
  event: CustomResourceEvent, context: InvocationContext, deps: HandlerDependencies,
): Promise<CustomResourceResult | typeof HANDED_OVER> {
  const deleted = event.PhysicalResourceId!;
  // A failed Create answered with an ID of its own: it has no pipeline to clean up.
  if (event.RequestType !== 'Delete' || !deleted.includes(':image-pipeline/')) {
    return { physicalResourceId: event.RequestType === 'Delete' ? deleted : event.ResourceProperties.PipelineArn };
  }
  // Removed from the template while the pipeline stays (the setting turned off, or the rollback of
  // turning it on), the pipeline has lost its tag first: its images stay.
  if ((await findPipeline(deleted, deps))?.tags?.[AUTO_DELETE_IMAGES_TAG] !== 'true') {
    return { physicalResourceId: deleted, data: { ImagesKept: 'true' } };
  }
  const images = await listPipelineImages(deleted, deps);
  // Kept across hand-overs: each new invocation counts towards the same end.
  const deadline = event.Continuation?.deadline ?? waitDeadline(event, deps);
  const deletions = new Map<string, string>();
  // Many images, or throttled calls, can outlast the invocation: the new one starts over, its client
  // tokens giving back the deletions started here. Not past the deadline, so the chain of
  // invocations ends: the wait then reports what is left, or the invocation runs out as Lambda allows.
  const shortOfTime = () => deps.now() < deadline && runsShort(context, deps);
  for (const image of images) {
    const imageArn = image.arn!;
    let status = image.state?.status ?? '';
    if (!TERMINAL_STATES.has(status)) {
      if (shortOfTime()) {
        return handOver(event, deadline, context, deps);
      }
      status = await stopBuild(event, imageArn, deadline, context, deps);
      if (status === HANDED_OVER) {
        return handOver(event, deadline, context, deps);
      }
    }
    if (status !== 'DELETED') {
      if (shortOfTime()) {
        return handOver(event, deadline, context, deps);
      }
      deletions.set(await startDeletion(event, imageArn, deps), imageArn);
    }
  }
  return await waitForDeletions(deletions, deadline, context, deps) === HANDED_OVER
    ? handOver(event, deadline, context, deps) : { physicalResourceId: deleted };
}

/** The pipeline, or undefined when it no longer exists. */
function findPipeline(imagePipelineArn: string, deps: HandlerDependencies): Promise<ImagePipeline | undefined> {
  return unlessNotFound(async () => (await callWithRetry('GetImagePipeline', imagePipelineArn, () =>
    deps.imagebuilder.send(new GetImagePipelineCommand({ imagePipelineArn })), deps.retry)).imagePipeline);
}

/**
 * Cancels a build that is still running and waits until it has stopped; returns its last state
 * (DELETED if it is gone), or 'handed-over' when the wait continues in a new invocation.
 */
async function stopBuild(
  event: CustomResourceEvent, imageArn: string, deadline: number, context: InvocationContext, deps: HandlerDependencies,
): Promise<string> {
  await cancelIfUnfinished(event, imageArn, deps);
  return poll(async (last) => {
    const status = (await findImage(imageArn, deps))?.state?.status ?? 'DELETED';
    if (TERMINAL_STATES.has(status)) {
      return status;
    }
    if (last) {
      throw new Error(`cancelled build ${imageArn} still ${status} at the timeout`);
    }
    return undefined;
  }, deadline, context, deps);
}

/** Starts deleting the image with its AMIs and snapshots, or its container images; returns the lifecycle execution's ID. */
async function startDeletion(event: CustomResourceEvent, imageArn: string, deps: HandlerDependencies): Promise<string> {
  const props = event.ResourceProperties;
  // The same token for the same request and image: a new invocation of this request gets the deletion already started.
  const token = clientToken(event.StackId, event.LogicalResourceId, event.RequestId, START_RESOURCE_STATE_UPDATE, imageArn);
  const response = await callWithRetry(START_RESOURCE_STATE_UPDATE, imageArn, () =>
    deps.imagebuilder.send(new StartResourceStateUpdateCommand({
      resourceArn: imageArn,
      state: { status: 'DELETED' },
      executionRole: props.ExecutionRoleArn,
      includeResources: props.ImageType === 'DOCKER' ? { containers: true } : { amis: true, snapshots: true },
      clientToken: token,
    })), deps.retry);
  return response.lifecycleExecutionId!;
}

/** Waits until every deletion has finished; fails naming those that did not succeed. */
async function waitForDeletions(
  deletions: Map<string, string>, deadline: number, context: InvocationContext, deps: HandlerDependencies,
): Promise<string> {
  const failed: string[] = [];
  const outcome = await poll(async (last) => {
    for (const [id, imageArn] of deletions) {
      // The last poll, at the deadline, gives the verdict here rather than hand over again.
      if (!last && runsShort(context, deps)) {
        return HANDED_OVER;
      }
      const response = await callWithRetry('GetLifecycleExecution', id, () =>
        deps.imagebuilder.send(new GetLifecycleExecutionCommand({ lifecycleExecutionId: id })), deps.retry);
      const state = response.lifecycleExecution?.state;
      if (FINISHED_DELETIONS.includes(state?.status ?? '')) {
        deletions.delete(id);
        if (state!.status !== 'SUCCESS') {
          failed.push(`${imageArn} (${state!.status}: ${state!.reason ?? 'no reason given'})`);
        }
      } else if (last) {
        failed.push(`${imageArn} (unfinished at the timeout)`);
      }
    }
    return deletions.size === 0 || last ? 'done' : undefined;
  }, deadline, context, deps);
  // A wait that continues elsewhere leaves the verdict to the invocation that ends it.
  if (outcome !== HANDED_OVER && failed.length > 0) {
    throw new Error(`images not deleted: ${failed.join('; ')}`);
  }
  return outcome;
}

/**
 * Runs the same request in a new invocation, with the same deadline; that one answers
 * CloudFormation, and its request log shows the continuation.
 */
async function handOver(
  event: CustomResourceEvent, deadline: number, context: InvocationContext, deps: HandlerDependencies,
): Promise<typeof HANDED_OVER> {
  await invokeAgain({ ...event, Continuation: { deadline } }, context, deps);
  return HANDED_OVER;
}
