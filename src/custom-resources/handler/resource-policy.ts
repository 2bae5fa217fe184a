import {
  DeletePermissionCommand,
  DeleteResourceShareCommand,
  DisassociateResourceShareCommand,
  GetResourceSharesCommand,
  ListResourcesCommand,
  ListResourceSharePermissionsCommand,
  PromotePermissionCreatedFromPolicyCommand,
  PromoteResourceShareCreatedFromPolicyCommand,
  ResourceShare,
  ResourceSharePermissionSummary,
  TagResourceCommand,
} from '@aws-sdk/client-ram';
import { clientToken } from './client-token';
import { HandlerDependencies } from './dependencies';
import { errorName, FailedAfterCreatingError, isNotFound } from './errors';
import { CustomResourceEvent, CustomResourceResult, InvocationContext } from './events';
import {
  PutComponentPolicyCommand,
  PutContainerRecipePolicyCommand,
  PutImagePolicyCommand,
  PutImageRecipePolicyCommand,
} from './imagebuilder-sdk';
import { log } from './log';
import { backOffDelay, callWithRetry } from './retry';

/** Operation names, for the calls and the client tokens derived from them. */
const DELETE_RESOURCE_SHARE = 'DeleteResourceShare';
const DISASSOCIATE_RESOURCE_SHARE = 'DisassociateResourceShare';
const DELETE_PERMISSION = 'DeletePermission';

/** The RAM operation that makes a share created from a resource policy a standard one, as calls and messages name it. */
const PROMOTE_SHARE = 'PromoteResourceShareCreatedFromPolicy';
/** The RAM feature sets of shares and permissions: made from a resource policy, being promoted, promoted. */
const CREATED_FROM_POLICY = 'CREATED_FROM_POLICY';
const PROMOTING_TO_STANDARD = 'PROMOTING_TO_STANDARD';
const STANDARD = 'STANDARD';

/** The four resource types with a resource policy, by the resource segment of their ARN. */
const PUT_POLICY: Record<string, { operation: string; command: (arn: string, policy: string) => any }> = {
  'component': { operation: 'PutComponentPolicy', command: (componentArn, policy) => new PutComponentPolicyCommand({ componentArn, policy }) },
  'image': { operation: 'PutImagePolicy', command: (imageArn, policy) => new PutImagePolicyCommand({ imageArn, policy }) },
  'image-recipe': { operation: 'PutImageRecipePolicy', command: (imageRecipeArn, policy) => new PutImageRecipePolicyCommand({ imageRecipeArn, policy }) },
  'container-recipe': { operation: 'PutContainerRecipePolicy', command: (containerRecipeArn, policy) => new PutContainerRecipePolicyCommand({ containerRecipeArn, policy }) },
};

/** The physical ID of a resource policy is this prefix and the resource's ARN. */
const PHYSICAL_ID_PREFIX = 'resource-policy:';

/** Customer managed permissions promoted by this handler carry this prefix, so Delete finds them. */
const PROMOTED_PERMISSION_PREFIX = 'imagebuilder-policy-';

/**
 * A share this handler promoted carries this tag, its value the resource's ARN. Promoted, it is a
 * STANDARD share like those the account creates itself (AWS::RAM::ResourceShare, an organization
 * share), and only the tag tells them apart: the handler changes no STANDARD share without it.
 * The construct allows the handler to tag with this key only.
 */
export const PROMOTED_TAG_KEY = 'cdk-imagebuilder:resource-policy';

/** How many times to look for the share the service creates from a policy (it appears shortly after). */
const SHARE_LOOKUPS = 6;

/**
 * RAM promotes in the background (PROMOTING_TO_STANDARD until done): how many times to ask whether
 * a share's promotion has finished, or to promote a share again while its permission's has not.
 * The pauses grow up to the poll interval.
 */
export const PROMOTION_POLLS = 10;

/** The handler's dependencies, with the time left before the function times out. */
interface RequestDeps extends HandlerDependencies {
  readonly remainingMs: () => number;
}

/**
 * RAM had not finished promoting a share when the handler stopped waiting. Once it does, the share
 * is STANDARD and untagged, like one of the account's own: the request must fail rather than count
 * it as removed, so that it is waited for again.
 */
class PromotionUnfinishedError extends Error {}

/**
 * Create and Update put the policy and promote the resource share the service created from it, so
 * the principals can see the resource; Delete removes the sharing through RAM. Only shares created
 * from the policy and shares this handler promoted are changed; other shares of the resource are
 * left as they are.
 */
export async function handleResourcePolicy(
  event: CustomResourceEvent, context: InvocationContext, handlerDeps: HandlerDependencies,
): Promise<CustomResourceResult> {
  const deps: RequestDeps = { ...handlerDeps, remainingMs: () => context.getRemainingTimeInMillis() };
  const resourceArn: string = event.ResourceProperties.ResourceArn;
  const physicalResourceId = `${PHYSICAL_ID_PREFIX}${resourceArn}`;
  const policy: string = event.ResourceProperties.Policy;
  if (event.RequestType === 'Delete') {
    if (event.PhysicalResourceId?.startsWith(PHYSICAL_ID_PREFIX)) {
      await removeSharing(event.PhysicalResourceId.slice(PHYSICAL_ID_PREFIX.length), policy, event, deps);
    }
    return { physicalResourceId: event.PhysicalResourceId ?? physicalResourceId };
  }
  // An update of the policy alone keeps the resource: clear the old sharing so no principal it
  // named keeps access, then share anew. A new resource ARN gets a new physical ID instead, and
  // CloudFormation deletes the old one.
  let removed: string[] = [];
  if (event.RequestType === 'Update' && event.PhysicalResourceId === physicalResourceId) {
    await undoFailedMove(event, resourceArn, deps);
    removed = await removeSharing(resourceArn, event.OldResourceProperties?.Policy ?? policy, event, deps);
  }
  await putPolicy(resourceArn, policy, deps);
  try {
    await promoteSharesCreatedFromPolicy(resourceArn, policy, removed, deps);
  } catch (error) {
    throw await failedAfterPuttingPolicy(event, physicalResourceId, resourceArn, policy, error as Error, deps);
  }
  return { physicalResourceId, data: { ResourceArn: resourceArn } };
}

/**
 * The rollback of an Update that moved the policy to another resource and failed: the physical ID
 * did not change, so no Delete will come for the resource the move had started to share, and any
 * sharing the failed Update could not remove from it is removed here. Best effort: the resource is
 * no longer the stack's, and a failure here must not fail the rollback.
 */
async function undoFailedMove(event: CustomResourceEvent, resourceArn: string, deps: RequestDeps): Promise<void> {
  const movedTo: string | undefined = event.OldResourceProperties?.ResourceArn;
  if (movedTo === undefined || movedTo === resourceArn) {
    return;
  }
  try {
    await removeSharing(movedTo, event.OldResourceProperties!.Policy, event, deps);
  } catch (error) {
    log(deps, 'warn', 'sharing of the resource a failed update had moved to left in place', { resourceArn: movedTo, reason: (error as Error).message });
  }
}

/**
 * The error to answer with once the policy is on the resource, so that no failure leaves it shared
 * without the stack knowing: a Create answers with its physical ID, so the rollback Delete removes
 * the sharing; an Update of the same resource is cleaned up by the rollback Update, which removes
 * the sharing before it puts the old policy back; an Update to another resource keeps the old
 * physical ID, so no Delete will clean up the new one: that sharing is removed here (and, should
 * that fail, by the rollback Update).
 */
async function failedAfterPuttingPolicy(
  event: CustomResourceEvent, physicalResourceId: string, resourceArn: string, policy: string, error: Error, deps: RequestDeps,
): Promise<Error> {
  if (event.RequestType === 'Create') {
    return new FailedAfterCreatingError(physicalResourceId, error);
  }
  if (event.PhysicalResourceId === physicalResourceId) {
    return error;
  }
  try {
    await removeSharing(resourceArn, policy, event, deps);
    return new Error(`${error.message}; the sharing it had started was removed`);
  } catch (cleanupError) {
    return new Error(`${error.message}; the sharing it had started could not be removed: ${(cleanupError as Error).message}`);
  }
}

async function putPolicy(resourceArn: string, policy: string, deps: RequestDeps): Promise<void> {
  const kind = PUT_POLICY[resourceKind(resourceArn)];
  if (!kind) {
    throw new Error(`cannot put a resource policy on ${resourceArn}: not a component, image or recipe`);
  }
  await callWithRetry(kind.operation, resourceArn, () => deps.imagebuilder.send(kind.command(resourceArn, policy)), deps.retry);
}

/** `arn:aws:imagebuilder:region:account:image-recipe/name/1.0.0` → `image-recipe`. */
function resourceKind(arn: string): string {
  return arn.split(':')[5]?.split('/')[0] ?? '';
}

/**
 * Waits for the share the service creates from the policy and promotes it. Shares the account made
 * itself are no sign of it and are ignored; a share this handler promoted for the resource is (a
 * repeated request finds the one it promoted before), unless this request has just taken the
 * resource out of it (`removed`).
 */
async function promoteSharesCreatedFromPolicy(resourceArn: string, policy: string, removed: string[], deps: RequestDeps): Promise<void> {
  for (let lookup = 1; ; lookup++) {
    const shares = await settledSharesOf(resourceArn, deps, removed);
    const toPromote = shares.filter((share) => share.featureSet === CREATED_FROM_POLICY);
    for (const share of toPromote) {
      await promoteShareAndPermission(share.resourceShareArn!, resourceArn, policy, deps);
    }
    if (toPromote.length > 0 || shares.some((s) => promotedHere(s, resourceArn) && !removed.includes(s.resourceShareArn!))) {
      log(deps, 'info', 'shares visible', { resourceArn, promoted: toPromote.map((s) => s.resourceShareArn) });
      return;
    }
    if (lookup >= SHARE_LOOKUPS) {
      throw new Error(`${PROMOTE_SHARE} on ${resourceArn} failed: no AWS RAM resource share was created from the policy`);
    }
    await deps.retry.sleep(deps.retry.baseDelayMs * lookup);
  }
}

/**
 * Promotes a share created from the policy, after its permission (RAM promotes a share only when
 * a customer managed permission matches the share's CREATED_FROM_POLICY permission exactly; a
 * policy that matches an AWS managed permission has nothing to promote), then tags it once RAM
 * has finished promoting it.
 */
async function promoteShareAndPermission(resourceShareArn: string, resourceArn: string, policy: string, deps: RequestDeps): Promise<void> {
  let permissionPromoting = false;
  for (const permission of await permissionsOf(resourceShareArn, deps)) {
    if (permission.featureSet === CREATED_FROM_POLICY) {
      permissionPromoting = await promotePermission(permission.arn!, resourceArn, policy, deps) || permissionPromoting;
    }
  }
  await promoteShare(resourceShareArn, permissionPromoting, deps);
  const share = await promotedShare(resourceShareArn, deps);
  if (share?.featureSet !== STANDARD) {
    throw new Error(`${PROMOTE_SHARE} on ${resourceShareArn} failed: after the promotion RAM reports the share ${share?.featureSet ?? 'deleted'}`);
  }
  await tagPromoted(resourceShareArn, resourceArn, deps);
}

/**
 * Promotes a share; one that another attempt already promoted counts as done (the caller waits for
 * it). RAM matches the share's permission only with a STANDARD one, so while the permission promoted
 * for it may still be promoting (`permissionPromoting`), UnmatchedPolicyPermissionException is
 * worth another attempt after a pause.
 */
async function promoteShare(resourceShareArn: string, permissionPromoting: boolean, deps: RequestDeps): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await callWithRetry(PROMOTE_SHARE, resourceShareArn, () =>
        deps.ram.send(new PromoteResourceShareCreatedFromPolicyCommand({ resourceShareArn })), deps.retry);
      return;
    } catch (error) {
      const share = await getShare(resourceShareArn, deps);
      if (share !== undefined && share.featureSet !== CREATED_FROM_POLICY) {
        return;
      }
      const unmatched = errorName((error as { cause?: unknown }).cause) === 'UnmatchedPolicyPermissionException';
      if (share === undefined || !permissionPromoting || !unmatched) {
        throw error;
      }
      const pause = promotionPause(attempt, deps);
      if (attempt >= PROMOTION_POLLS || !canWait(pause, deps)) {
        throw new Error(`${(error as Error).message}; tried ${attempt} times while the permission it needs was being promoted`);
      }
      await deps.retry.sleep(pause);
    }
  }
}

/**
 * Polls a share until RAM has finished promoting it (a PROMOTING_TO_STANDARD share can be neither
 * tagged nor removed) and returns it as it then is; undefined once it is gone. Gives up after
 * PROMOTION_POLLS polls, or sooner when another pause would leave too little time to answer before
 * the function times out.
 */
async function promotedShare(resourceShareArn: string, deps: RequestDeps): Promise<ResourceShare | undefined> {
  for (let poll = 1; ; poll++) {
    const share = await getShare(resourceShareArn, deps);
    if (share?.featureSet !== PROMOTING_TO_STANDARD) {
      return share;
    }
    const pause = promotionPause(poll, deps);
    if (poll >= PROMOTION_POLLS || !canWait(pause, deps)) {
      const why = poll >= PROMOTION_POLLS ? `after ${poll} polls` : `when the function ran short of time, after ${poll} polls`;
      throw new PromotionUnfinishedError(`${PROMOTE_SHARE} on ${resourceShareArn} did not finish: ` +
        `the share was still ${PROMOTING_TO_STANDARD} ${why}; a later request for the resource waits for it again`);
    }
    if (poll === 1) {
      log(deps, 'info', 'waiting for RAM to finish promoting the share', { resourceShareArn });
    }
    await deps.retry.sleep(pause);
  }
}

/** The pause before promotion poll `poll` + 1: the retry back-off, at most the poll interval. */
function promotionPause(poll: number, deps: RequestDeps): number {
  return Math.min(backOffDelay(poll, deps.retry), deps.pollIntervalMs);
}

/** Whether pausing `ms` still leaves the time kept in hand for the calls after the wait and the answer. */
function canWait(ms: number, deps: RequestDeps): boolean {
  return deps.remainingMs() - ms >= deps.handOverMarginMs;
}

/**
 * The shares owned by this account that hold the resource, each one still PROMOTING_TO_STANDARD (an
 * earlier attempt promoted it but could not wait) as it is once RAM has finished. RAM promotes only
 * shares created from a policy, so one holding the resource is this resource's and is tagged as
 * such, unless someone else tagged it first (it is theirs then). Shares in `skip` (this request
 * took the resource out of them) are not waited for.
 */
async function settledSharesOf(resourceArn: string, deps: RequestDeps, skip: string[] = []): Promise<ResourceShare[]> {
  const settled: ResourceShare[] = [];
  for (const found of await sharesOf(resourceArn, deps)) {
    if (found.featureSet !== PROMOTING_TO_STANDARD || skip.includes(found.resourceShareArn!)) {
      settled.push(found);
      continue;
    }
    const share = await promotedShare(found.resourceShareArn!, deps);
    if (share === undefined) {
      continue;
    }
    const unclaimed = (share.tags ?? []).every((tag) => tag.key === PROMOTED_TAG_KEY && tag.value === resourceArn);
    if (share.featureSet === STANDARD && unclaimed && !promotedHere(share, resourceArn)) {
      await tagPromoted(share.resourceShareArn!, resourceArn, deps);
      share.tags = [...share.tags ?? [], { key: PROMOTED_TAG_KEY, value: resourceArn }];
    }
    settled.push(share);
  }
  return settled;
}

/**
 * Tags a share once its promotion has finished (RAM changes no share before). Untagged, it would pass
 * for one of the account's own and outlive the policy, so a share that cannot be tagged is deleted
 * while its ARN is known: the request fails without leaving the resource shared.
 */
async function tagPromoted(resourceShareArn: string, resourceArn: string, deps: RequestDeps): Promise<void> {
  try {
    await callWithRetry('TagResource', resourceShareArn, () =>
      deps.ram.send(new TagResourceCommand({ resourceShareArn, tags: [{ key: PROMOTED_TAG_KEY, value: resourceArn }] })), deps.retry);
  } catch (error) {
    try {
      await callWithRetry(DELETE_RESOURCE_SHARE, resourceShareArn, () => deps.ram.send(new DeleteResourceShareCommand({
        resourceShareArn, clientToken: clientToken(DELETE_RESOURCE_SHARE, resourceShareArn),
      })), deps.retry);
    } catch (cleanupError) {
      throw new Error(`${(error as Error).message}; the share could not be deleted either: ${(cleanupError as Error).message}`);
    }
    throw new Error(`${(error as Error).message}; the share was deleted`);
  }
}

/** Whether this handler promoted the share for the resource. */
function promotedHere(share: ResourceShare, resourceArn: string): boolean {
  return share.tags?.some((tag) => tag.key === PROMOTED_TAG_KEY && tag.value === resourceArn) ?? false;
}

/**
 * Promotes a permission created from the policy; returns whether it may still be promoting (not
 * reported STANDARD), when no share's permission matches it yet.
 */
async function promotePermission(permissionArn: string, resourceArn: string, policy: string, deps: RequestDeps): Promise<boolean> {
  // One name per resource and policy text (36 characters, RAM's limit), so a retry reuses it.
  const name = `${PROMOTED_PERMISSION_PREFIX}${clientToken(resourceArn, policy).replace(/-/g, '').slice(0, 16)}`;
  try {
    const promoted = await callWithRetry('PromotePermissionCreatedFromPolicy', permissionArn, () => deps.ram.send(new PromotePermissionCreatedFromPolicyCommand({
      permissionArn, name, clientToken: clientToken(permissionArn, name),
    })), deps.retry);
    return promoted.permission?.featureSet !== STANDARD;
  } catch (error) {
    // A permission of this name grants the same policy: one an earlier request promoted and could
    // not delete (see deletePermission). The share's promotion matches it once it is STANDARD,
    // which that request may not have waited for.
    if (errorName((error as { cause?: unknown }).cause) !== 'PermissionAlreadyExistsException') {
      throw error;
    }
    return true;
  }
}

async function permissionsOf(resourceShareArn: string, deps: RequestDeps): Promise<ResourceSharePermissionSummary[]> {
  const permissions: ResourceSharePermissionSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callWithRetry('ListResourceSharePermissions', resourceShareArn, () =>
      deps.ram.send(new ListResourceSharePermissionsCommand({ resourceShareArn, nextToken })), deps.retry);
    permissions.push(...(page.permissions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return permissions;
}

/**
 * Removes the resource from the shares created from its policy and those this handler promoted;
 * deletes shares it leaves empty. Every other share of the account that holds the resource is the
 * account's own and is left alone. A share still as the service created it from `policy` (a request
 * failed before promoting it) is promoted first: RAM changes no share before that. One that cannot
 * be promoted is logged and left: failing would only stop the rollback or the delete, and a new
 * policy replaces it. A share whose promotion RAM does not finish while the handler waits fails the
 * request instead: once STANDARD and untagged, no later request would know it. Returns the shares
 * it took the resource out of.
 */
async function removeSharing(resourceArn: string, policy: string, event: CustomResourceEvent, deps: RequestDeps): Promise<string[]> {
  // One token a call and target: RAM refuses a token it saw with other parameters.
  const token = (...target: string[]) => clientToken(event.StackId, event.LogicalResourceId, event.RequestId, ...target);
  const removed: string[] = [];
  for (const share of await settledSharesOf(resourceArn, deps)) {
    const shareArn = share.resourceShareArn!;
    if (share.featureSet !== CREATED_FROM_POLICY && !promotedHere(share, resourceArn)) {
      log(deps, 'info', 'share of the account left alone', { resourceShareArn: shareArn, resourceArn });
      continue;
    }
    if (share.featureSet === CREATED_FROM_POLICY) {
      try {
        await promoteShareAndPermission(shareArn, resourceArn, policy, deps);
      } catch (error) {
        if (error instanceof PromotionUnfinishedError) {
          throw error;
        }
        log(deps, 'warn', 'share created from the policy left in place', { resourceShareArn: shareArn, reason: (error as Error).message });
        continue;
      }
    }
    const others = (await resourcesOf({ resourceShareArns: [shareArn] }, deps)).filter((r) => r.arn !== resourceArn);
    try {
      if (others.length === 0) {
        const promoted = (await permissionsOf(shareArn, deps)).filter((p) => p.name?.startsWith(PROMOTED_PERMISSION_PREFIX));
        await callWithRetry(DELETE_RESOURCE_SHARE, shareArn, () => deps.ram.send(new DeleteResourceShareCommand({
          resourceShareArn: shareArn, clientToken: token(DELETE_RESOURCE_SHARE, shareArn),
        })), deps.retry);
        for (const permission of promoted) {
          await deletePermission(permission.arn!, token(DELETE_PERMISSION, permission.arn!), deps);
        }
      } else {
        const disassociate = new DisassociateResourceShareCommand({
          resourceShareArn: shareArn, resourceArns: [resourceArn], clientToken: token(DISASSOCIATE_RESOURCE_SHARE, shareArn, resourceArn),
        });
        await callWithRetry(DISASSOCIATE_RESOURCE_SHARE, shareArn, () => deps.ram.send(disassociate), deps.retry);
      }
    } catch (error) {
      if (!isNotFound((error as { cause?: unknown }).cause)) {
        throw error;
      }
    }
    removed.push(shareArn);
  }
  return removed;
}

/**
 * Deletes the permission promoted for a share this handler deleted. The sharing is already gone,
 * so a permission RAM will not delete yet (still detaching from the deleting share) is only logged:
 * it grants nothing on its own.
 */
async function deletePermission(permissionArn: string, token: string, deps: RequestDeps): Promise<void> {
  try {
    await callWithRetry(DELETE_PERMISSION, permissionArn, () =>
      deps.ram.send(new DeletePermissionCommand({ permissionArn, clientToken: token })), deps.retry);
  } catch (error) {
    if (!isNotFound((error as { cause?: unknown }).cause)) {
      log(deps, 'warn', 'promoted permission left in place', { permissionArn, reason: (error as Error).message });
    }
  }
}

/** The shares owned by this account that hold the resource, with their tags. */
async function sharesOf(resourceArn: string, deps: RequestDeps): Promise<ResourceShare[]> {
  const shareArns = [...new Set((await resourcesOf({ resourceArns: [resourceArn] }, deps)).map((r) => r.resourceShareArn!))];
  if (shareArns.length === 0) {
    return [];
  }
  const shares: ResourceShare[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callWithRetry('GetResourceShares', resourceArn, () =>
      deps.ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF', resourceShareArns: shareArns, nextToken })), deps.retry);
    shares.push(...(page.resourceShares ?? []).filter(isLive));
    nextToken = page.nextToken;
  } while (nextToken);
  return shares;
}

/** The share as GetResourceShares reports it, with its tags; undefined once it is deleted. */
async function getShare(resourceShareArn: string, deps: RequestDeps): Promise<ResourceShare | undefined> {
  const page = await callWithRetry('GetResourceShares', resourceShareArn, () =>
    deps.ram.send(new GetResourceSharesCommand({ resourceOwner: 'SELF', resourceShareArns: [resourceShareArn] })), deps.retry);
  return (page.resourceShares ?? []).find((s) => s.resourceShareArn === resourceShareArn && isLive(s));
}

/** Whether a share is neither deleted nor being deleted. */
function isLive(share: ResourceShare): boolean {
  return share.status !== 'DELETED' && share.status !== 'DELETING';
}

/**
 * The resources RAM lists for the filter. RAM may answer UnknownResourceException for a resource
 * that is gone: it is in no share then, so a Delete of something already gone succeeds.
 */
async function resourcesOf(filter: { resourceArns?: string[]; resourceShareArns?: string[] }, deps: RequestDeps) {
  const resources: Array<{ arn?: string; resourceShareArn?: string }> = [];
  let nextToken: string | undefined;
  do {
    let page;
    try {
      page = await callWithRetry('ListResources', (filter.resourceArns ?? filter.resourceShareArns ?? [])[0] ?? '', () =>
        deps.ram.send(new ListResourcesCommand({ resourceOwner: 'SELF', ...filter, nextToken })), deps.retry);
    } catch (error) {
      if (filter.resourceArns && isNotFound((error as { cause?: unknown }).cause)) {
        return [];
      }
      throw error;
    }
    resources.push(...(page.resources ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return resources;
}
