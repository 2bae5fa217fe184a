import { clientToken, sha256Hex } from './client-token';
import { HandlerDependencies } from './dependencies';
import { FailedAfterCreatingError, isNotFound, unlessNotFound } from './errors';
import { booleanProperty, CustomResourceEvent, CustomResourceResult, InvocationContext } from './events';
import {
  CancelImageCreationCommand,
  GetImageCommand,
  Image,
  ImageSummary,
  ListImagePipelineImagesCommand,
  StartImagePipelineExecutionCommand,
} from './imagebuilder-sdk';
import { log } from './log';
import { callWithRetry } from './retry';
import { HANDED_OVER, invokeAgain, poll, waitDeadline } from './waits';

/** Operation names, for the calls and the client tokens derived from them. */
const START_PIPELINE_EXECUTION = 'StartImagePipelineExecution';
const CANCEL_IMAGE_CREATION = 'CancelImageCreation';

/** What the log says when the image of the current build is gone. */
const IMAGE_GONE = "this build's image no longer exists (deleted by a lifecycle policy?)";

/** States after which an image build changes no more. */
export const TERMINAL_STATES = new Set(['AVAILABLE', 'FAILED', 'CANCELLED', 'DEPRECATED', 'DISABLED', 'DELETED']);
/** States of a build that made its image: a lifecycle policy may have deprecated or disabled it since. */
const BUILT_STATES = new Set(['AVAILABLE', 'DEPRECATED', 'DISABLED']);

/** The tag on each build that records what it was started for (see `buildInputs`). */
export const BUILD_INPUTS_TAG = 'cdk-imagebuilder:build-inputs';
/** The tag on each build that records the request that started it: the client token of its start. */
export const STARTED_BY_TAG = 'cdk-imagebuilder:started-by';

/** The result of a request: answered now, or handed over to a fresh invocation that will answer. */
export type ExecutionOutcome = CustomResourceResult | 'handed-over';

/**
 * Create starts the pipeline; Update starts it again only when the current build was started for
 * another pipeline or other trigger values, or when it must wait for the current build's image and
 * that image no longer exists, and no earlier build of the pipeline was started for the new values;
 * Delete cancels a build that has not finished (unless told not to).
 * With `WaitForCompletion` the answer waits for the image, handing the wait over to a fresh
 * invocation of this function when the current one is about to time out.
 */
export async function handlePipelineExecution(
  event: CustomResourceEvent, context: InvocationContext, deps: HandlerDependencies,
): Promise<ExecutionOutcome> {
  const props = event.ResourceProperties;
  const continuation = event.Continuation;
  if (continuation?.imageBuildVersionArn) {
    // Without startedHere (handed over by an older handler), the build is not taken as this
    // request's own, so a failed wait does not cancel it.
    return waitForImage(event, continuation.imageBuildVersionArn, continuation.deadline, continuation.startedHere === true, context, deps);
  }
  if (event.RequestType === 'Delete') {
    await cancelUnfinishedBuilds(event, deps);
    return { physicalResourceId: event.PhysicalResourceId! };
  }
  if (event.RequestType === 'Update' && isImageArn(event.PhysicalResourceId)) {
    const current = await findImage(event.PhysicalResourceId!, deps);
    if (!needsNewBuild(event, current)) {
      if (!isGone(current) || !waitsForCompletion(event)) {
        return keepBuild(event, event.PhysicalResourceId!, current, context, deps);
      }
      // The answer must carry AmiId (or ContainerImageUri), which resources may read: without an
      // image to take it from, build again as a change of triggers would. The new build carries the
      // same build-inputs tag, so a rollback to these trigger values keeps it rather than build again.
      log(deps, 'warn', `${IMAGE_GONE}: starting a new build for AmiId or ContainerImageUri`, { imageBuildVersionArn: event.PhysicalResourceId });
    }
    const earlier = await findEarlierBuild(event, deps);
    if (earlier) {
      log(deps, 'info', 'answering with an earlier build for these values', { imageBuildVersionArn: earlier.arn });
      return keepBuild(event, earlier.arn!, earlier, context, deps);
    }
  }

  const imageBuildVersionArn = await startPipeline(event, deps);
  log(deps, 'info', 'pipeline started', { pipelineArn: props.PipelineArn, imageBuildVersionArn });
  if (!waitsForCompletion(event)) {
    return buildOnly(imageBuildVersionArn);
  }
  return waitForImage(event, imageBuildVersionArn, waitDeadline(event, deps), true, context, deps);
}

function waitsForCompletion(event: CustomResourceEvent): boolean {
  return booleanProperty(event.ResourceProperties.WaitForCompletion, false);
}

/** The images a pipeline has built, every page of them. */
export async function listPipelineImages(imagePipelineArn: string, deps: HandlerDependencies): Promise<ImageSummary[]> {
  const images: ImageSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callWithRetry('ListImagePipelineImages', imagePipelineArn, () =>
      deps.imagebuilder.send(new ListImagePipelineImagesCommand({ imagePipelineArn, nextToken })), deps.retry);
    images.push(...page.imageSummaryList ?? []);
    nextToken = page.nextToken;
  } while (nextToken);
  return images;
}

/** Whether a build's image no longer exists: GetImage did not find it, or finds it DELETED. */
function isGone(image: Image | undefined): boolean {
  return !image || image.state?.status === 'DELETED';
}

/**
 * Whether an Update needs a build of its own: it does unless the current build was started for the
 * new pipeline and trigger values. So the rollback of a failed Update, which returns to the values
 * the current build carries, starts nothing. A build without the tag (started before builds were
 * tagged) or no longer there is judged by the old and new properties instead.
 */
function needsNewBuild(event: CustomResourceEvent, current: Image | undefined): boolean {
  const builtFor = current?.tags?.[BUILD_INPUTS_TAG];
  const wanted = wantedInputs(event);
  return builtFor !== undefined ? builtFor !== wanted : buildInputs(event, event.OldResourceProperties) !== wanted;
}

/**
 * The latest build this execution started, in an earlier request, for the pipeline and trigger
 * values the Update wants, AVAILABLE or still running. An Update that succeeded is rolled back when
 * another resource fails: CloudFormation then names the build the Update started, while the build
 * it replaced, made for the values restored, is still there. A build of this request (started by an
 * invocation that Lambda retries) is left out: the retry starts again with the same client token,
 * which answers with that build as its own, to cancel if its wait fails.
 */
async function findEarlierBuild(event: CustomResourceEvent, deps: HandlerDependencies): Promise<Image | undefined> {
  const token = startToken(event);
  return (await buildsForValues(event, deps))
    .filter((image) => image.tags![STARTED_BY_TAG] !== token && (image.state?.status === 'AVAILABLE' || !isFinished(image)))
    .sort((a, b) => (b.dateCreated ?? '').localeCompare(a.dateCreated ?? ''))[0];
}

/** The builds this execution started for the values it has now, by their build-inputs tag. */
async function buildsForValues(event: CustomResourceEvent, deps: HandlerDependencies): Promise<ImageSummary[]> {
  const wanted = wantedInputs(event);
  return (await listPipelineImages(event.ResourceProperties.PipelineArn, deps)).filter((image) => image.tags?.[BUILD_INPUTS_TAG] === wanted);
}

/** Whether a build has ended, or no longer changes. */
function isFinished(image: Image): boolean {
  return TERMINAL_STATES.has(image.state?.status ?? '');
}

/**
 * A hash of what decides whether a new build is needed: the pipeline and the trigger values, and
 * the execution (stack and logical ID), so that executions of one pipeline never take each other's builds.
 */
function buildInputs(event: CustomResourceEvent, props: Record<string, any> | undefined): string {
  return sha256Hex(JSON.stringify([event.StackId, event.LogicalResourceId, props?.PipelineArn ?? null, props?.Triggers ?? null]));
}

/** The build inputs of the values the request wants. */
function wantedInputs(event: CustomResourceEvent): string {
  return buildInputs(event, event.ResourceProperties);
}

/** The client token of the request's start: the same for a retried invocation, so the service does not start twice. */
function startToken(event: CustomResourceEvent): string {
  return clientToken(event.StackId, event.LogicalResourceId, event.RequestId, START_PIPELINE_EXECUTION);
}

/**
 * Answers an Update with a build it did not start: the current one or an earlier one. With
 * `WaitForCompletion` it waits for that build as a Create does (it may still be running, or the
 * wait was just turned on). Without it, a build that no longer exists (a lifecycle policy deleted
 * its image) keeps its ARN, with no AMI to give (none is needed: the construct reads AMI attributes
 * only with `WaitForCompletion`; with it, the caller starts a new build instead).
 */
async function keepBuild(
  event: CustomResourceEvent, imageBuildVersionArn: string, current: Image | undefined, context: InvocationContext, deps: HandlerDependencies,
): Promise<ExecutionOutcome> {
  if (!current || isGone(current)) {
    log(deps, 'warn', `${IMAGE_GONE}: answering without AmiId or ContainerImageUri`, { imageBuildVersionArn });
    return buildOnly(imageBuildVersionArn);
  }
  if (!waitsForCompletion(event)) {
    return resultFor(current);
  }
  return waitForImage(event, imageBuildVersionArn, waitDeadline(event, deps), false, context, deps, current);
}

async function startPipeline(event: CustomResourceEvent, deps: HandlerDependencies): Promise<string> {
  const imagePipelineArn: string = event.ResourceProperties.PipelineArn;
  const token = startToken(event);
  const tags = { [BUILD_INPUTS_TAG]: wantedInputs(event), [STARTED_BY_TAG]: token };
  const response = await callWithRetry(START_PIPELINE_EXECUTION, imagePipelineArn, () =>
    deps.imagebuilder.send(new StartImagePipelineExecutionCommand({ imagePipelineArn, clientToken: token, tags })), deps.retry);
  return response.imageBuildVersionArn!;
}

/** Waits for a build; `startedHere` says whether this request started it. */
async function waitForImage(
  event: CustomResourceEvent, imageBuildVersionArn: string, deadline: number, startedHere: boolean,
  context: InvocationContext, deps: HandlerDependencies, first?: Image,
): Promise<ExecutionOutcome> {
  try {
    return await pollImage(event, imageBuildVersionArn, deadline, startedHere, context, deps, first);
  } catch (error) {
    if (event.RequestType === 'Update') {
      // A build the Update did not start stays with whoever has it (a Delete cancels it); one it
      // started does not: a failed Update keeps the old physical ID, so no rollback would cancel it.
      if (!startedHere) {
        throw error;
      }
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
  event: CustomResourceEvent, imageBuildVersionArn: string, deadline: number, startedHere: boolean,
  context: InvocationContext, deps: HandlerDependencies, first?: Image,
): Promise<ExecutionOutcome> {
  let known = first;
  const outcome = await poll(async (last) => {
    const image = known ?? await getImage(imageBuildVersionArn, deps);
    known = undefined;
    const status = image.state?.status ?? 'UNKNOWN';
    if (BUILT_STATES.has(status)) {
      return resultFor(image);
    }
    if (TERMINAL_STATES.has(status)) {
      throw new Error(`image build ${imageBuildVersionArn} ended ${status}: ${image.state?.reason ?? 'no reason given'}`);
    }
    if (last) {
      throw new Error(`image build ${imageBuildVersionArn} did not finish before the wait timed out (last state ${status})`);
    }
    return undefined;
  }, deadline, context, deps);
  if (outcome === HANDED_OVER) {
    await handOver(event, { imageBuildVersionArn, deadline, startedHere }, context, deps);
  }
  return outcome;
}

/** Continues the wait in a new asynchronous invocation; that one answers CloudFormation. */
async function handOver(event: CustomResourceEvent, continuation: NonNullable<CustomResourceEvent['Continuation']>,
  context: InvocationContext, deps: HandlerDependencies): Promise<void> {
  await invokeAgain({ ...event, Continuation: continuation }, context, deps);
  log(deps, 'info', 'wait handed over', { imageBuildVersionArn: continuation.imageBuildVersionArn });
}

/**
 * Cancels the Delete's build if it has not finished, unless CancelOnDelete is off. The physical ID
 * names the build, except after a Create that did not answer with one: CloudFormation cancels a
 * Create still waiting when another resource fails, and its Delete comes with an ID CloudFormation
 * made up. The builds of this execution started for these values and still running are then the
 * Create's (if it started one, and before this Delete), found by their build-inputs tag. Listing
 * them is best effort: the Delete must not fail a rollback that had nothing to clean up (the
 * Create may have failed on a pipeline ARN the service refuses).
 */
async function cancelUnfinishedBuilds(event: CustomResourceEvent, deps: HandlerDependencies): Promise<void> {
  if (!booleanProperty(event.ResourceProperties.CancelOnDelete, true)) {
    return;
  }
  const id = event.PhysicalResourceId!;
  const builds = isImageArn(id) ? [id] : (await buildsForValues(event, deps).catch((error: Error) => {
    log(deps, 'warn', 'builds not listed', { reason: error.message });
    return [];
  })).filter((image) => !isFinished(image)).map((image) => image.arn!);
  for (const imageBuildVersionArn of builds) {
    await cancelIfUnfinished(event, imageBuildVersionArn, deps);
  }
}

/**
 * Cancels a build that has not finished; a build that has, or that no longer exists, is left as it
 * is. Returns whether this call cancelled it.
 */
export async function cancelIfUnfinished(event: CustomResourceEvent, imageBuildVersionArn: string, deps: HandlerDependencies): Promise<boolean> {
  try {
    if (isFinished(await getImage(imageBuildVersionArn, deps))) {
      return false;
    }
    // Not the token of this request's StartImagePipelineExecution: a token is for one operation and build.
    const token = clientToken(event.StackId, event.LogicalResourceId, event.RequestId, CANCEL_IMAGE_CREATION, imageBuildVersionArn);
    try {
      await callWithRetry(CANCEL_IMAGE_CREATION, imageBuildVersionArn, () =>
        deps.imagebuilder.send(new CancelImageCreationCommand({ imageBuildVersionArn, clientToken: token })), deps.retry);
    } catch (error) {
      // The build may have finished, or gone, between the two calls; then there is nothing left to
      // cancel. If the second look fails too, the cancel's error is the one to report.
      const image = await findImage(imageBuildVersionArn, deps).catch(() => ({}));
      if (image && !isFinished(image)) {
        throw error;
      }
      return false;
    }
    log(deps, 'info', 'build cancelled', { imageBuildVersionArn });
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

/** The image, or undefined when it no longer exists. */
export function findImage(imageBuildVersionArn: string, deps: HandlerDependencies): Promise<Image | undefined> {
  return unlessNotFound(() => getImage(imageBuildVersionArn, deps));
}

/**
 * The attributes: the build ARN, and for a finished build its AMI per region or container URI. The
 * AMIs are the build account's: with target accounts, `amis` also lists their copies, one per
 * region and account. The container is the one in the build's region, if it pushed one there.
 */
function resultFor(image: Image): CustomResourceResult {
  const arn = image.arn!;
  const data: Record<string, string> = { ImageBuildVersionArn: arn };
  const [, , , region, account] = arn.split(':');
  for (const ami of image.outputResources?.amis ?? []) {
    if (ami.region && ami.image && (ami.accountId === undefined || ami.accountId === account)) {
      data[`AmiId.${ami.region}`] ??= ami.image;
    }
  }
  const home = data[`AmiId.${region}`];
  if (home) {
    data.AmiId = home;
  }
  const containers = image.outputResources?.containers ?? [];
  const uri = (containers.find((container) => container.region === region) ?? containers[0])?.imageUris?.[0];
  if (uri) {
    data.ContainerImageUri = uri;
  }
  return { physicalResourceId: arn, data };
}

/** The answer naming a build without its image's attributes: not waited for, or its image is gone. */
function buildOnly(imageBuildVersionArn: string): CustomResourceResult {
  return { physicalResourceId: imageBuildVersionArn, data: { ImageBuildVersionArn: imageBuildVersionArn } };
}

function isImageArn(arn: string | undefined): boolean {
  return arn !== undefined && /^arn:aws[^:]*:imagebuilder:[^:]+:[^:]+:image\//.test(arn);
}
