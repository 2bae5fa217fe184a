import {
  CancelImageCreationCommand,
  GetImageCommand,
  Image,
  StartImagePipelineExecutionCommand,
} from '@aws-sdk/client-imagebuilder';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { clientToken } from './client-token';
import { HandlerDependencies } from './dependencies';
import { FailedAfterCreatingError, isNotFound } from './errors';
import { booleanProperty, CustomResourceEvent, CustomResourceResult, InvocationContext, numberProperty } from './events';
import { callWithRetry } from './retry';

/** States after which an image build changes no more. */
const TERMINAL_STATES = new Set(['AVAILABLE', 'FAILED', 'CANCELLED', 'DEPRECATED', 'DISABLED', 'DELETED']);

/** The result of a request: answered now, or handed over to a fresh invocation that will answer. */
export type ExecutionOutcome = CustomResourceResult | 'handed-over';

/**
 * Create starts the pipeline; Update starts it again only when the pipeline or the trigger values
 * changed; Delete cancels a build that has not finished (unless told not to). With
 * `WaitForCompletion` the answer waits for the image, handing the wait over to a fresh invocation
 * of this function when the current one is about to time out.
 */
export async function handlePipelineExecution(
  event: CustomResourceEvent, context: InvocationContext, deps: HandlerDependencies,
): Promise<ExecutionOutcome> {
  const props = event.ResourceProperties;
  if (event.Continuation) {
    return waitForImage(event, event.Continuation.imageBuildVersionArn, event.Continuation.deadline, context, deps);
  }
  if (event.RequestType === 'Delete') {
    await cancelUnfinishedBuild(event, deps);
    return { physicalResourceId: event.PhysicalResourceId! };
  }
  const old = event.OldResourceProperties;
  const unchanged = event.RequestType === 'Update' && old?.PipelineArn === props.PipelineArn
    && JSON.stringify(old?.Triggers) === JSON.stringify(props.Triggers);
  if (unchanged && isImageArn(event.PhysicalResourceId)) {
    return resultFor(await getImage(event.PhysicalResourceId!, deps));
  }

  const imageBuildVersionArn = await startPipeline(event, deps);
  deps.log({ level: 'info', message: 'pipeline started', pipelineArn: props.PipelineArn, imageBuildVersionArn });
  if (!booleanProperty(props.WaitForCompletion, false)) {
    return { physicalResourceId: imageBuildVersionArn, data: { ImageBuildVersionArn: imageBuildVersionArn } };
  }
  const deadline = deps.now() + numberProperty(props.WaitTimeoutSeconds, 3300) * 1000;
  return waitForImage(event, imageBuildVersionArn, deadline, context, deps);
}

async function startPipeline(event: CustomResourceEvent, deps: HandlerDependencies): Promise<string> {
  const imagePipelineArn: string = event.ResourceProperties.PipelineArn;
  // Stable per request: a repeated invocation of the same request does not start a second build.
  const token = clientToken(event.StackId, event.LogicalResourceId, event.RequestId);
  const response = await callWithRetry('StartImagePipelineExecution', imagePipelineArn, () =>
    deps.imagebuilder.send(new StartImagePipelineExecutionCommand({ imagePipelineArn, clientToken: token })), deps.retry);
  return response.imageBuildVersionArn!;
}

async function waitForImage(
  event: CustomResourceEvent, imageBuildVersionArn: string, deadline: number, context: InvocationContext, deps: HandlerDependencies,
): Promise<ExecutionOutcome> {
  try {
    return await pollImage(event, imageBuildVersionArn, deadline, context, deps);
  } catch (error) {
    if (event.RequestType === 'Update') {
      // A failed Update keeps the old physical ID, so no rollback would ever cancel the new build.
      throw await cancelBuildOfFailedUpdate(event, imageBuildVersionArn, error as Error, deps);
    }
    // The build exists: a failed Create answers with its ARN, so the rollback Delete cancels it.
    throw new FailedAfterCreatingError(imageBuildVersionArn, error);
  }
}

/**
 * Cancels the build a failed Update started, unless CancelOnDelete is off (the user wants builds
 * to run to their end), and returns the error to answer with: the reason says what became of it.
 */
async function cancelBuildOfFailedUpdate(
  event: CustomResourceEvent, imageBuildVersionArn: string, error: Error, deps: HandlerDependencies,
): Promise<Error> {
  if (!booleanProperty(event.ResourceProperties.CancelOnDelete, true)) {
    return error;
  }
  try {
    return await cancelIfUnfinished(event, imageBuildVersionArn, deps) ? new Error(`${error.message}; the build was cancelled`) : error;
  } catch (cancelError) {
    return new Error(`${error.message}; the build could not be cancelled: ${(cancelError as Error).message}`);
  }
}

async function pollImage(
  event: CustomResourceEvent, imageBuildVersionArn: string, deadline: number, context: InvocationContext, deps: HandlerDependencies,
): Promise<ExecutionOutcome> {
  for (;;) {
    const image = await getImage(imageBuildVersionArn, deps);
    const status = image.state?.status ?? 'UNKNOWN';
    if (status === 'AVAILABLE') {
      return resultFor(image);
    }
    if (TERMINAL_STATES.has(status)) {
      throw new Error(`image build ${imageBuildVersionArn} ended ${status}: ${image.state?.reason ?? 'no reason given'}`);
    }
    if (deps.now() >= deadline) {
      throw new Error(`image build ${imageBuildVersionArn} did not finish before the wait timed out (last state ${status})`);
    }
    if (context.getRemainingTimeInMillis() < deps.pollIntervalMs + deps.handOverMarginMs) {
      await handOver(event, { imageBuildVersionArn, deadline }, context, deps);
      return 'handed-over';
    }
    await deps.retry.sleep(deps.pollIntervalMs);
  }
}

/** Continues the wait in a new asynchronous invocation; that one answers CloudFormation. */
async function handOver(event: CustomResourceEvent, continuation: NonNullable<CustomResourceEvent['Continuation']>,
  context: InvocationContext, deps: HandlerDependencies): Promise<void> {
  const payload = JSON.stringify({ ...event, Continuation: continuation });
  await callWithRetry('Invoke', context.functionName, () => deps.lambda.send(new InvokeCommand({
    FunctionName: context.functionName,
    InvocationType: 'Event',
    Payload: Buffer.from(payload),
  })), deps.retry);
  deps.log({ level: 'info', message: 'wait handed over', imageBuildVersionArn: continuation.imageBuildVersionArn });
}

async function cancelUnfinishedBuild(event: CustomResourceEvent, deps: HandlerDependencies): Promise<void> {
  const imageBuildVersionArn = event.PhysicalResourceId;
  if (!isImageArn(imageBuildVersionArn) || !booleanProperty(event.ResourceProperties.CancelOnDelete, true)) {
    return;
  }
  await cancelIfUnfinished(event, imageBuildVersionArn!, deps);
}

/**
 * Cancels a build that has not finished; a build that has, or that no longer exists, is left as it
 * is. Returns whether this call cancelled it.
 */
async function cancelIfUnfinished(event: CustomResourceEvent, imageBuildVersionArn: string, deps: HandlerDependencies): Promise<boolean> {
  try {
    const image = await getImage(imageBuildVersionArn, deps);
    if (TERMINAL_STATES.has(image.state?.status ?? '')) {
      return false;
    }
    const token = clientToken(event.StackId, event.LogicalResourceId, event.RequestId);
    try {
      await callWithRetry('CancelImageCreation', imageBuildVersionArn, () =>
        deps.imagebuilder.send(new CancelImageCreationCommand({ imageBuildVersionArn, clientToken: token })), deps.retry);
    } catch (error) {
      // The build may have finished between the two calls; then there is nothing left to cancel.
      if (!TERMINAL_STATES.has((await getImage(imageBuildVersionArn, deps)).state?.status ?? '')) {
        throw error;
      }
      return false;
    }
    deps.log({ level: 'info', message: 'build cancelled', imageBuildVersionArn });
    return true;
  } catch (error) {
    if (!isNotFound((error as { cause?: unknown }).cause)) {
      throw error;
    }
    return false;
  }
}

async function getImage(imageBuildVersionArn: string, deps: HandlerDependencies): Promise<Image> {
  const response = await callWithRetry('GetImage', imageBuildVersionArn, () =>
    deps.imagebuilder.send(new GetImageCommand({ imageBuildVersionArn })), deps.retry);
  return response.image ?? {};
}

/** The attributes: the build ARN, and for a finished build its AMI per region or container URI. */
function resultFor(image: Image): CustomResourceResult {
  const arn = image.arn!;
  const data: Record<string, string> = { ImageBuildVersionArn: arn };
  const region = arn.split(':')[3];
  for (const ami of image.outputResources?.amis ?? []) {
    if (ami.region && ami.image) {
      data[`AmiId.${ami.region}`] ??= ami.image;
    }
  }
  const home = data[`AmiId.${region}`];
  if (home) {
    data.AmiId = home;
  }
  const uri = image.outputResources?.containers?.[0]?.imageUris?.[0];
  if (uri) {
    data.ContainerImageUri = uri;
  }
  return { physicalResourceId: arn, data };
}

function isImageArn(arn: string | undefined): boolean {
  return arn !== undefined && /^arn:aws[^:]*:imagebuilder:[^:]+:[^:]+:image\//.test(arn);
}
