import { CfnResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PipelinePatternProps } from './pipeline-pattern-props';
import { Component, IComponent } from '../component';
import { ComponentData } from '../component-data';
import { ComponentDocument } from '../component-document';
import { PipelineExecution } from '../custom-resources/pipeline-execution';
import { ImagePipeline } from '../image-pipeline';
import { RecipeComponent } from '../image-recipe';
import { InfrastructureConfiguration } from '../infrastructure-configuration';
import { LifecyclePolicyStatus } from '../lifecycle-policy';
import { PipelineSchedule } from '../pipeline-schedule';
import { Platform } from '../platform';
import { IMAGE_BUILDER_LOG_PREFIX } from '../private/build-log-groups';
import { validationError } from '../private/errors';
import { addNagSuppression } from '../private/nag-suppressions';
import { MAX_RECIPE_COMPONENTS } from '../private/recipe-components';
import { validateShareWith } from '../private/share-with';
import { generateResourceName, validateRegion, validateRegionInStackPartition, validateTagMap, validateTopicKeyAccount, wholeDays } from '../private/validation';
import { ShareWithOptions } from '../sharing';

/** What a pattern builds its image from: components, a document, a shell script, or several. */
export interface PatternComponentSources {
  readonly components?: RecipeComponent[];
  readonly document?: ComponentDocument;
  readonly shellScript?: string;
  readonly platform: Platform;
}

/**
 * The platform of a pattern's own components: the parent image's, which `platform` may only repeat
 * (a recipe runs components of its parent image's platform alone); Linux when neither is known.
 */
function patternPlatform(scope: Construct, given: Platform | undefined, ofParentImage: Platform | undefined): Platform {
  if (given !== undefined && ofParentImage !== undefined && given !== ofParentImage) {
    throw validationError(`platform must be that of parentImage, ${ofParentImage}, got ${given}; ` +
      "leave platform out to take the parent image's", scope);
  }
  return given ?? ofParentImage ?? Platform.LINUX;
}

/** What a pattern's recipe (image or container) offers for its components. */
interface PatternRecipe {
  readonly platform?: Platform;
  readonly components: RecipeComponent[];
  addComponent(component: IComponent, parameters?: { [name: string]: string }): void;
}

/** The recipes of users' own given to patterns, by the pattern they were given to. */
const GIVEN_RECIPES = new WeakMap<Construct, Construct>();

/**
 * A recipe of the user's own (`prop`) must be in the pattern's stack: the components the pattern
 * makes are there, the recipe refers to them and the pipeline to the recipe, so two stacks would
 * depend on each other. And it serves one pattern: each adds its components to it, so two patterns
 * would each build the other's too.
 */
export function claimGivenRecipe(scope: Construct, prop: string, recipe: Construct | undefined): void {
  if (recipe === undefined) {
    return;
  }
  if (Stack.of(recipe) !== Stack.of(scope)) {
    throw validationError(`${prop} must be in the pattern's stack, ${Stack.of(scope).stackName}, got ${recipe.node.path} of stack ` +
      `${Stack.of(recipe).stackName}: the pattern adds the components it makes to the recipe and builds it there`, scope);
  }
  const other = GIVEN_RECIPES.get(recipe);
  if (other !== undefined) {
    throw validationError(`${prop} ${recipe.node.path} is given to the pattern ${other.node.path} already: each pattern adds its ` +
      'components to its recipe, so both would build the components of both; give each pattern a recipe of its own', scope);
  }
  GIVEN_RECIPES.set(recipe, scope);
}

/**
 * Adds a pattern's components to its recipe, which is made (or given) first: its parent image
 * tells the platform of the components the pattern makes from `document` and `shellScript`.
 * Returns all the recipe's components, those it had already first.
 */
export function addPatternComponents(scope: Construct, recipe: PatternRecipe, props: PipelinePatternProps): RecipeComponent[] {
  const platform = patternPlatform(scope, props.platform, recipe.platform);
  // Counted first, so that the message names the pattern's props rather than the recipe's 21st component.
  const parts: Array<[number, string]> = [
    [recipe.components.length, 'of the recipe given'], [props.components?.length ?? 0, 'of components'],
    [props.document ? 1 : 0, 'from document'], [props.shellScript !== undefined ? 1 : 0, 'from shellScript'],
  ];
  const total = parts.reduce((sum, [count]) => sum + count, 0);
  if (total > MAX_RECIPE_COMPONENTS) {
    const given = parts.filter(([count]) => count > 0).map(([count, source]) => `${count} ${source}`);
    throw validationError(`the recipe takes at most ${MAX_RECIPE_COMPONENTS} components, got ${total}: ${given.join(', ')}`, scope);
  }
  const components = patternComponents(scope, { ...props, platform }, recipe.components.length > 0);
  components.forEach(({ component, parameters }) => recipe.addComponent(component, parameters));
  return recipe.components;
}

/**
 * The recipe components of a pattern: the given components, then a component made from the
 * document, then one made from the shell script. At least one source is needed, unless a recipe
 * of the user's own has components already.
 */
function patternComponents(scope: Construct, sources: PatternComponentSources, recipeHasComponents: boolean): RecipeComponent[] {
  if (sources.shellScript !== undefined && !Token.isUnresolved(sources.shellScript) && sources.shellScript.trim() === '') {
    throw validationError('shellScript must have a command, got an empty script; leave shellScript out to build from components or document', scope);
  }
  const components = [...(sources.components ?? [])];
  if (sources.document) {
    components.push({ component: new Component(scope, 'DocumentComponent', { platform: sources.platform, data: ComponentData.fromDocument(sources.document) }) });
  }
  if (sources.shellScript !== undefined) {
    // The component runs it in its platform's shell: PowerShell on Windows, else Bash.
    components.push({
      component: new Component(scope, 'ShellComponent', { platform: sources.platform, data: ComponentData.fromShellScript(sources.shellScript) }),
    });
  }
  if (components.length === 0 && !recipeHasComponents) {
    throw validationError('a pipeline needs something to build: give components, document or shellScript, got none of them ' +
      '(or a recipe of your own that has components); Image Builder takes no recipe without a build component ' +
      '(the steps of a Dockerfile template do not count)', scope);
  }
  return components;
}

/** Shares the components this app owns (AWS-managed and imported ones are not ours to share). */
function shareOwnComponents(components: RecipeComponent[], options: ShareWithOptions): void {
  components.map((c) => c.component)
    .filter((c): c is IComponent => Component.isComponent(c))
    .forEach((c) => c.shareWith(options));
}

/** An S3 bucket for build logs: encrypted, SSL only, no public access, logs expire. */
export function createLogBucket(scope: Construct, expiration: Duration): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'LogBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    lifecycleRules: [{ expiration }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  addNagSuppression(bucket.node.defaultChild as CfnResource, 'AwsSolutions-S1',
    'The bucket holds build logs written by the build instances only; access logging would need a second bucket for each log bucket', []);
  return bucket;
}

/**
 * The given log groups, or new ones whose logs expire. Their names are under `/aws/imagebuilder/`,
 * where Image Builder writes without an execution role, but not the names it uses by default:
 * those may exist already, created by builds before these log groups were part of the stack.
 */
function createLogGroups(scope: Construct, props: PipelinePatternProps): { imageLogGroup: logs.ILogGroup; pipelineLogGroup: logs.ILogGroup } {
  const logGroup = (id: string, suffix: string) => new logs.LogGroup(scope, id, {
    logGroupName: `${IMAGE_BUILDER_LOG_PREFIX}${generateResourceName(scope)}/${suffix}`,
    retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return {
    imageLogGroup: props.imageLogGroup ?? logGroup('ImageLogs', 'images'),
    pipelineLogGroup: props.pipelineLogGroup ?? logGroup('PipelineLogs', 'pipeline'),
  };
}

/** An SNS topic for build notifications, SSL only, encrypted with the given key or a new rotating customer key. */
export function createNotificationTopic(scope: Construct, givenKey?: kms.IKey): { topic: sns.Topic; key: kms.IKey } {
  const key = givenKey ?? new kms.Key(scope, 'NotificationKey', {
    enableKeyRotation: true,
    description: 'Encrypts the image build notifications',
  });
  const topic = new sns.Topic(scope, 'Notifications', { masterKey: key, enforceSSL: true });
  return { topic, key };
}

/**
 * The regions and sharing of a pattern, checked under the pattern's own prop names before they are
 * handed to the distribution configuration, whose messages would name its props instead.
 */
export function validatePatternTargets(scope: Construct, props: { readonly regions?: string[]; readonly shareWith?: ShareWithOptions }): void {
  if (props.shareWith) {
    validateShareWith(scope, props.shareWith);
  }
  if (props.regions === undefined) {
    return;
  }
  const regions = patternRegions(scope, props.regions);
  if (regions.length === 0) {
    throw validationError("regions must list at least one region when given, got none; omit it for the stack's region", scope);
  }
  const seen = new Set<string>();
  for (const region of regions) {
    validateRegion(scope, 'regions', region);
    validateRegionInStackPartition(scope, 'regions', region);
    if (!Token.isUnresolved(region) && seen.has(region)) {
      throw validationError(`regions must name each region once, got '${region}' twice`, scope);
    }
    seen.add(region);
  }
}

/**
 * The pattern's `regions`, the stack's by default. `Aws.REGION` stands for the stack's region, and
 * is written as that region when it is known, so that it is told apart from the others and counted
 * once.
 */
export function patternRegions(scope: Construct, regions: string[] | undefined): string[] {
  const stack = Stack.of(scope);
  if (regions === undefined) {
    return [stack.region];
  }
  const isStackRegion = (region: string) => Token.isUnresolved(region) && !Token.isUnresolved(stack.region) &&
    JSON.stringify(stack.resolve(region)) === JSON.stringify({ Ref: 'AWS::Region' });
  return regions.map((region) => isStackRegion(region) ? stack.region : region);
}

/** The patterns' lifecycle settings, checked under the patterns' prop names: the rule count the service accepts, and tags. */
export function validatePatternLifecycle(scope: Construct, keepImages: number, excludeImageTags: { [key: string]: string } | undefined): void {
  if (Token.isUnresolved(keepImages)) {
    // Known only at deployment: the lifecycle policy takes it as it is.
  } else if (!Number.isInteger(keepImages) || keepImages < 1 || keepImages > 1000) {
    throw validationError(`keepImages must be a whole number from 1 to 1000, got ${keepImages}`, scope);
  }
  validateTagMap(scope, 'lifecycleExcludeImageTags', excludeImageTags);
}

/** The pattern's `schedule`: the given one or the weekly default, none with `runOnSchedule: false`. */
export function patternSchedule(scope: Construct, props: PipelinePatternProps): PipelineSchedule | undefined {
  if (props.runOnSchedule === false) {
    if (props.schedule) {
      throw validationError('schedule needs runOnSchedule, got runOnSchedule false with a schedule: leave one of them out', scope);
    }
    return undefined;
  }
  return props.schedule ?? PipelineSchedule.cron({ hour: '4', weekDay: 'MON' });
}

/** The status of the pattern's lifecycle policy, from `lifecyclePolicyEnabled`. */
export function patternLifecycleStatus(props: PipelinePatternProps): LifecyclePolicyStatus {
  return props.lifecyclePolicyEnabled === false ? LifecyclePolicyStatus.DISABLED : LifecyclePolicyStatus.ENABLED;
}

/**
 * A piece of your own (`given`, named by its prop `replacing`) stands in for one the pattern would
 * make from `shapingProps`: those must be left out, as the pattern could not apply them.
 */
export function rejectPropsReplacedBy(scope: Construct, replacing: string, given: unknown, props: object, shapingProps: string[]): void {
  if (given === undefined) {
    return;
  }
  const conflicting = shapingProps.filter((name) => (props as { [name: string]: unknown })[name] !== undefined);
  if (conflicting.length > 0) {
    throw validationError(`${replacing} of your own replaces what ${shapingProps.join(', ')} would shape, got ${conflicting.join(', ')} too: ` +
      `leave ${conflicting.length > 1 ? 'them' : 'it'} out, as the pattern would not apply ${conflicting.length > 1 ? 'them' : 'it'}, ` +
      `and set up your ${replacing} as you need it`, scope);
  }
}

/** The props that shape the infrastructure configuration a pattern creates. */
const INFRASTRUCTURE_SHAPING_PROPS = [
  'vpc', 'subnetSelection', 'securityGroups', 'instanceTypes', 'resourceTags', 'logBucket', 'logExpiration', 'logPrefix', 'notificationTopic',
  'notificationKey',
];

/** The build infrastructure of a pattern, with the log bucket, log groups and notification topic it uses. */
export interface PatternInfrastructure {
  /** The log bucket, none for an infrastructure configuration of your own that logs nowhere. */
  readonly logBucket?: s3.IBucket;
  /** Where Image Builder writes each build's logs; the pattern hands it to its pipeline. */
  readonly imageLogGroup: logs.ILogGroup;
  /** Where Image Builder writes the pipeline's runs; the pattern hands it to its pipeline. */
  readonly pipelineLogGroup: logs.ILogGroup;
  /** The notification topic, none for an infrastructure configuration of your own without one. */
  readonly notificationTopic?: sns.ITopic;
  /** The key of the topic the pattern created; none for a given topic. */
  readonly notificationKey?: kms.IKey;
  readonly infrastructureConfiguration: InfrastructureConfiguration;
}

/**
 * Secure build infrastructure: the configuration's own defaults (IMDSv2, least-privilege instance
 * role), logs under `<baseName>/` in the given bucket or a new one, log groups for builds and
 * pipeline runs, notifications to the given topic or a new encrypted one.
 */
export function createPatternInfrastructure(scope: Construct, props: PipelinePatternProps, baseName: string): PatternInfrastructure {
  if (props.imageLogGroup && props.pipelineLogGroup && props.logRetention !== undefined) {
    throw validationError('logRetention applies to the log groups the pattern creates, got imageLogGroup and pipelineLogGroup too: ' +
      'give logRetention or both log groups, and set the retention of your own log groups on them', scope);
  }
  const given = props.infrastructureConfiguration;
  if (given) {
    rejectPropsReplacedBy(scope, 'infrastructureConfiguration', given, props, INFRASTRUCTURE_SHAPING_PROPS);
    return {
      ...createLogGroups(scope, props),
      logBucket: given.logBucket,
      notificationTopic: given.notificationTopic,
      infrastructureConfiguration: given,
    };
  }
  if (props.logBucket && props.logExpiration) {
    throw validationError('logExpiration applies to the log bucket the pattern creates, got logBucket too: ' +
      'give one of them, and set the expiration of your own bucket on that bucket', scope);
  }
  validateLogExpiration(scope, props.logExpiration);
  const logBucket = props.logBucket ?? createLogBucket(scope, props.logExpiration ?? Duration.days(90));
  const { imageLogGroup, pipelineLogGroup } = createLogGroups(scope, props);
  rejectPropsReplacedBy(scope, 'notificationTopic', props.notificationTopic, props, ['notificationKey']);
  validateTopicKeyAccount(scope, props.notificationKey, 'notificationKey must be a key');
  const created = props.notificationTopic ? undefined : createNotificationTopic(scope, props.notificationKey);
  const notificationTopic = props.notificationTopic ?? created!.topic;
  const infrastructureConfiguration = new InfrastructureConfiguration(scope, 'Infrastructure', {
    vpc: props.vpc,
    subnetSelection: props.subnetSelection,
    securityGroups: props.securityGroups,
    instanceTypes: props.instanceTypes,
    resourceTags: props.resourceTags,
    logBucket,
    logPrefix: props.logPrefix ?? `${baseName}/`,
    notificationTopic,
  });
  return { logBucket, imageLogGroup, pipelineLogGroup, notificationTopic, notificationKey: created?.key, infrastructureConfiguration };
}

/** S3 expires objects after whole days, at least one; anything else fails only at deployment. */
function validateLogExpiration(scope: Construct, expiration: Duration | undefined): void {
  if (expiration !== undefined && !expiration.isUnresolved()) {
    wholeDays(scope, 'logExpiration', expiration);
  }
}

/**
 * The optional parts every pattern ends with: sharing, then the start on deploy. `shareImages`
 * shares what the pattern's images are shared through other than a resource policy.
 */
export function sharePatternAndStart(
  scope: Construct, props: PipelinePatternProps, recipe: { shareWith(options: ShareWithOptions): void },
  components: RecipeComponent[], pipeline: ImagePipeline, shareImages?: (options: ShareWithOptions) => void,
): PipelineExecution | undefined {
  if (props.shareWith) {
    recipe.shareWith(props.shareWith);
    shareOwnComponents(components, props.shareWith);
    shareImages?.(props.shareWith);
  }
  if (props.startOnDeployOptions && !props.startOnDeploy) {
    throw validationError('startOnDeployOptions needs startOnDeploy: true, got startOnDeploy unset or false', scope);
  }
  return props.startOnDeploy ? pipeline.startOnDeploy(props.startOnDeployOptions) : undefined;
}

/** The name the pattern's generated names start with: its ID in lowercase, dashes for the rest. */
export function patternBaseName(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
}
