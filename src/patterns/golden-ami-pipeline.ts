import { Annotations, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  addPatternComponents, claimGivenRecipe, createPatternInfrastructure, patternBaseName, patternLifecycleStatus, patternRegions, patternSchedule,
  rejectPropsReplacedBy, sharePatternAndStart,
  validatePatternLifecycle, validatePatternTargets,
} from './pattern-resources';
import { PipelinePatternProps } from './pipeline-pattern-props';
import { PipelineExecution } from '../custom-resources/pipeline-execution';
import { AmiLaunchTemplate, DistributionConfiguration, FastLaunchOptions } from '../distribution-configuration';
import { ImagePipeline } from '../image-pipeline';
import { ImageRecipe, RecipeComponent } from '../image-recipe';
import { InfrastructureConfiguration } from '../infrastructure-configuration';
import {
  LifecycleAction, LifecycleFilter, LifecyclePolicy, LifecycleRecipeSelection, LifecycleResourceSelection, LifecycleResourceType,
} from '../lifecycle-policy';
import { AwsManagedImage, ParentImage } from '../parent-image';
import { Platform } from '../platform';
import { amiNameWithBuildDate, validateAmiName, validateSsmParameterArnLength, validateSsmParameterName } from '../private/ami-distribution-names';
import {
  isCreatedInApp, validateAccountList, validateFastLaunchConfigurations, validateListLength, validateRegionOfKey,
} from '../private/ami-distribution-targets';
import { warnWorkflowsWithoutBuild } from '../private/build-settings';
import { validationError } from '../private/errors';
import { injectProps } from '../private/property-injection';
import { generateResourceName, shownValue, validateTagMap } from '../private/validation';

/**
 * A launch template that a {@link GoldenAmiPipeline} gives a new version with each AMI.
 */
export interface GoldenAmiLaunchTemplate extends AmiLaunchTemplate {
  /**
   * The region the launch template is in, one of the pattern's `regions`. Give it for a template
   * imported by ID in a stack of another region: an import counts as in its stack's region.
   *
   * @default - the region of the launch template's stack (for an import, of the stack that imports it)
   */
  readonly region?: string;
}

/**
 * Properties of a {@link GoldenAmiPipeline}. Give at least one of `components`, `document` and
 * `shellScript` (or a recipe of your own with components); they run in that order.
 */
export interface GoldenAmiPipelineProps extends PipelinePatternProps {
  /**
   * The image to start from.
   *
   * @default - the latest Amazon Linux 2023 (x86_64) AMI, via its AWS-managed image
   */
  readonly parentImage?: ParentImage;

  /**
   * Your own image recipe, in the pattern's stack, instead of the one the pattern creates: for the
   * recipe settings the pattern leaves at their defaults (block devices, user data, working
   * directory, AMI tags, name, version). `parentImage`, which shapes the created one, must be left
   * out. The pattern adds the components of `components`, `document` and `shellScript` to the
   * recipe, after its own, so a recipe serves one pattern; none of them is needed when the recipe
   * has components. The lifecycle policy counts every
   * image of the recipe, whichever pipeline built it.
   *
   * @default - a new one from `parentImage`
   */
  readonly imageRecipe?: ImageRecipe;

  /**
   * Your own distribution configuration, created in this app, instead of the one the pattern
   * creates. The props that shape the created one must be left out (`regions`, `amiName`,
   * `amiTags`, `launchTemplates`, `fastLaunchConfigurations`, `ssmParameterName`,
   * `targetAccountIds`, `amiKmsKey`); `shareWith` still shares the recipe and components, while the
   * AMIs are shared by your distribution's launch permissions alone.
   *
   * @default - a new one to `regions`, with the SSM parameter and `shareWith`'s launch permissions
   */
  readonly distributionConfiguration?: DistributionConfiguration;

  /**
   * The regions that receive the AMI, each with the SSM parameter.
   *
   * @default - the stack's region
   */
  readonly regions?: string[];

  /**
   * The AMI name, with Image Builder variables.
   *
   * @default '<id>-{{ imagebuilder:buildDate }}' in lowercase
   */
  readonly amiName?: string;

  /**
   * Tags for the AMI in every region of `regions`, at most 50, on the AMI this account owns: accounts
   * the AMI is shared with do not see them. Values may use Image Builder's dynamic tags
   * `{{imagebuilder:buildDate}}` and `{{imagebuilder:buildVersion}}`. `Tags.of(pattern)` tags the
   * resources of the stack, not the AMIs Image Builder makes.
   *
   * @default - no tags
   */
  readonly amiTags?: { [key: string]: string };

  /**
   * Launch templates that get a new version with each AMI, by default made their default version,
   * so that what launches the default version (`$Default`) starts from the new AMI. Each is updated
   * in its `region` (by default its stack's, or that of the stack that imports it), which must be
   * one of `regions`, and in the account of its `accountId` (by default the build's). Imports need
   * `launchTemplateId`.
   *
   * @default - no launch templates are updated
   */
  readonly launchTemplates?: GoldenAmiLaunchTemplate[];

  /**
   * EC2 Fast Launch for the Windows AMI in every region of `regions`: EC2 keeps pre-provisioned
   * snapshots so that instances start sooner. One entry per account that owns a copy: the build
   * account (an entry without `accountId`) or one of `targetAccountIds`. A `launchTemplate` is of
   * one region, so it needs a pattern of one region. A recipe known not to be Windows fails.
   *
   * @default - no Fast Launch
   */
  readonly fastLaunchConfigurations?: FastLaunchOptions[];

  /**
   * The SSM parameter that holds the newest AMI ID in each region.
   *
   * @default '/golden-ami/<unique name>/latest', the unique name made of the stack's name and the
   * construct's path (the same as the log groups'), so that no two pipelines write one parameter;
   * read it from `ssmParameterName`
   */
  readonly ssmParameterName?: string;

  /**
   * Accounts that each get their own copy of the AMI in every region of `regions`. Each needs the
   * role `EC2ImageBuilderDistributionCrossAccountRole` that Image Builder assumes to copy it. The
   * SSM parameter is written in this account; the copies are owned by those accounts.
   *
   * @default - no copies; the AMI stays in the account that runs the build
   */
  readonly targetAccountIds?: string[];

  /**
   * The customer managed key that encrypts the AMI's snapshots. A key serves one region, so this
   * needs `regions` to name one region (or be left out): the key's. A key created in this app lets
   * `targetAccountIds` use it to copy the AMI, and the principals of `shareWith` to launch it.
   *
   * @default - the encryption of the parent image's snapshots
   */
  readonly amiKmsKey?: kms.IKey;

  /**
   * How many of the newest images the lifecycle policy keeps; older ones are deleted with their
   * AMIs and snapshots.
   *
   * @default 5
   */
  readonly keepImages?: number;
}

/**
 * A golden AMI, ready for production in one construct: a recipe from your components, a document
 * or a shell script; secure build infrastructure with an encrypted, SSL-only log bucket and an
 * encrypted notification topic; distribution to one or more regions with an SSM parameter of the
 * newest AMI; a weekly pipeline with tests and vulnerability scanning; a lifecycle policy that keeps
 * the last images; optional sharing and start on deploy. Every piece is a public property.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/start-build-image-pipeline.html
 */
export class GoldenAmiPipeline extends Construct {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.GoldenAmiPipeline';

  /**
   * The components the recipe runs, in order: those of an `imageRecipe` of your own, then those of
   * `components`, then those made from `document` and `shellScript`.
   */
  public readonly components: RecipeComponent[];
  /** The recipe the pipeline builds: the pattern's, or your `imageRecipe`. */
  public readonly recipe: ImageRecipe;
  /** The bucket the build instances write their logs to; none with an `infrastructureConfiguration` of your own that has none. */
  public readonly logBucket?: s3.IBucket;
  /** The topic Image Builder publishes build notifications to; none with an `infrastructureConfiguration` of your own that has none. */
  public readonly notificationTopic?: sns.ITopic;
  /** The key that encrypts the notification topic the pattern created (`notificationKey`, or a new one), undefined with `notificationTopic`. */
  public readonly notificationKey?: kms.IKey;
  /** Where builds run. */
  public readonly infrastructureConfiguration: InfrastructureConfiguration;
  /** Where Image Builder writes each build's logs. */
  public readonly imageLogGroup: logs.ILogGroup;
  /** Where Image Builder writes the pipeline's runs and skipped runs. */
  public readonly pipelineLogGroup: logs.ILogGroup;
  /** The SSM parameter that holds the newest AMI ID in each region of `regions`; none with a `distributionConfiguration` of your own. */
  public readonly ssmParameterName?: string;
  /** Where AMIs go: the regions, with the SSM parameter and launch permissions. */
  public readonly distributionConfiguration: DistributionConfiguration;
  /** The scheduled pipeline. */
  public readonly pipeline: ImagePipeline;
  /** The policy that deletes all but the newest images. */
  public readonly lifecyclePolicy: LifecyclePolicy;
  /** The start on deploy, with `startOnDeploy`. */
  public readonly execution?: PipelineExecution;

  public constructor(scope: Construct, id: string, props: GoldenAmiPipelineProps) {
    props = injectProps(GoldenAmiPipeline.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id);
    const keepImages = props.keepImages ?? 5;
    validatePatternLifecycle(this, keepImages, props.lifecycleExcludeImageTags);
    validatePatternTargets(this, props);
    // Under the pattern's prop names, before the distribution configuration checks them under its own.
    validateAmiName(this, 'amiName', props.amiName);
    validateTagMap(this, 'amiTags', props.amiTags);
    const regions = patternRegions(this, props.regions);
    if (props.ssmParameterName !== undefined) {
      validateSsmParameterName(this, 'ssmParameterName', props.ssmParameterName);
      regions.forEach((region) => validateSsmParameterArnLength(this, 'ssmParameterName', props.ssmParameterName!, undefined, region));
    }
    validateAccountList(this, 'targetAccountIds', props.targetAccountIds);
    validateAmiKmsKey(this, props.amiKmsKey, regions);
    const launchTemplates = launchTemplatesByRegion(this, props.launchTemplates, regions);
    validatePatternFastLaunch(this, props.fastLaunchConfigurations, props.targetAccountIds, regions);
    const baseName = patternBaseName(id);
    rejectPropsReplacedBy(this, 'distributionConfiguration', props.distributionConfiguration, props,
      ['regions', 'amiName', 'amiTags', 'launchTemplates', 'fastLaunchConfigurations', 'ssmParameterName', 'targetAccountIds', 'amiKmsKey']);
    // Unique by default: Image Builder writes the parameter, so CloudFormation would not notice two
    // pipelines (a dev and a prod stack in one account, say) overwriting each other's.
    const ssmParameterName = props.ssmParameterName ?? `/golden-ami/${generateResourceName(this)}/latest`;
    this.ssmParameterName = props.distributionConfiguration ? undefined : ssmParameterName;

    rejectPropsReplacedBy(this, 'imageRecipe', props.imageRecipe, props, ['parentImage']);
    claimGivenRecipe(this, 'imageRecipe', props.imageRecipe);
    this.recipe = props.imageRecipe ?? new ImageRecipe(this, 'Recipe', {
      parentImage: props.parentImage ?? ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
    });
    this.components = addPatternComponents(this, this.recipe, props);
    const platform = this.recipe.platform;
    if (platform !== undefined && platform !== Platform.WINDOWS && props.fastLaunchConfigurations?.some((options) => options.enabled !== false)) {
      throw validationError(`fastLaunchConfigurations turn on Fast Launch, which is for Windows AMIs only, got a recipe for ${platform}; leave them out`, this);
    }

    ({
      logBucket: this.logBucket,
      imageLogGroup: this.imageLogGroup,
      pipelineLogGroup: this.pipelineLogGroup,
      notificationTopic: this.notificationTopic,
      notificationKey: this.notificationKey,
      infrastructureConfiguration: this.infrastructureConfiguration,
    } = createPatternInfrastructure(this, props, baseName));

    if (props.distributionConfiguration && props.shareWith) {
      Annotations.of(this).addWarningV2('cdk-imagebuilder:patternShareWithOwnDistribution',
        'shareWith shares the recipe and components; the AMIs are shared only by the launch permissions ' +
        'of the distributionConfiguration you gave, which the pattern leaves as it is');
    }
    this.distributionConfiguration = props.distributionConfiguration ?? new DistributionConfiguration(this, 'Distribution', {
      amiDistributions: regions.map((region) => ({
        region,
        amiName: props.amiName ?? amiNameWithBuildDate(baseName),
        amiTags: props.amiTags,
        launchTemplates: launchTemplates.get(region),
        fastLaunchConfigurations: props.fastLaunchConfigurations,
        ssmParameters: [{ parameterName: ssmParameterName }],
        targetAccountIds: props.targetAccountIds,
        amiKmsKey: props.amiKmsKey,
        launchPermissionAccountIds: props.shareWith?.accounts,
        launchPermissionOrganizationArns: props.shareWith?.organizationArns,
        launchPermissionOrganizationalUnitArns: props.shareWith?.organizationalUnitArns,
      })),
    });

    this.pipeline = new ImagePipeline(this, 'Pipeline', {
      imageRecipe: this.recipe,
      infrastructureConfiguration: this.infrastructureConfiguration,
      distributionConfiguration: this.distributionConfiguration,
      schedule: patternSchedule(this, props),
      imageTestsEnabled: props.imageTestsEnabled ?? true,
      imageTestsTimeout: props.imageTestsTimeout,
      imageScanningEnabled: props.imageScanningEnabled ?? true,
      autoDeleteImages: props.autoDeleteImages,
      imageLogGroup: this.imageLogGroup,
      pipelineLogGroup: this.pipelineLogGroup,
      workflows: props.workflows,
      executionRole: props.executionRole,
    });
    warnWorkflowsWithoutBuild(this, props.workflows, 'AwsManagedWorkflow.buildImage(scope, id)');

    this.lifecyclePolicy = new LifecyclePolicy(this, 'Lifecycle', {
      status: patternLifecycleStatus(props),
      resourceType: LifecycleResourceType.AMI_IMAGE,
      resourceSelection: LifecycleResourceSelection.fromRecipes([LifecycleRecipeSelection.imageRecipe(this.recipe)]),
      rules: [{
        action: LifecycleAction.DELETE,
        filter: LifecycleFilter.count(keepImages),
        includeAmis: true,
        includeSnapshots: true,
        excludeImageTags: props.lifecycleExcludeImageTags,
      }],
    });

    this.execution = sharePatternAndStart(this, props, this.recipe, this.components, this.pipeline);
  }
}

/**
 * A launch template gets its new version in its own region, so each goes to the AMI distribution of
 * that region; the distribution references it by ID.
 */
function launchTemplatesByRegion(
  scope: Construct, templates: GoldenAmiLaunchTemplate[] | undefined, regions: string[]): Map<string, AmiLaunchTemplate[]> {
  // Each region's distribution checks its own number of templates against the service's maximum.
  validateListLength(scope, 'launchTemplates', templates, Infinity, 'launch template');
  const byRegion = new Map<string, AmiLaunchTemplate[]>();
  for (const { region: givenRegion, ...entry } of templates ?? []) {
    const template = entry.launchTemplate;
    if (template.launchTemplateId === undefined) {
      throw validationError(`launchTemplates must reference launch templates by ID, got ${template.node.path} without a launchTemplateId; ` +
        'import it with launchTemplateId', scope);
    }
    const ownRegion = template.env.region;
    if (givenRegion !== undefined && isCreatedInApp(template) && !Token.isUnresolved(givenRegion) && !Token.isUnresolved(ownRegion)
      && givenRegion !== ownRegion) {
      throw validationError(`launchTemplates region must be the region of ${template.node.path}, which this app creates in ` +
        `${shownValue(ownRegion)}, got ${shownValue(givenRegion)}`, scope);
    }
    const region = givenRegion === undefined ? ownRegion : patternRegions(scope, [givenRegion])[0];
    if (!regions.includes(region)) {
      const agnostic = Token.isUnresolved(region) ? '; for the region of a stack without env.region, list Aws.REGION in regions' : '';
      throw validationError(`launchTemplates must be in one of regions (${regions.map(shownValue).join(', ')}), where the AMI is, ` +
        `got ${template.node.path} in ${shownValue(region)}${agnostic}`, scope);
    }
    byRegion.set(region, [...byRegion.get(region) ?? [], entry]);
  }
  return byRegion;
}

/** The Fast Launch entries go to every region's distribution, checked under the pattern's prop name for each. */
function validatePatternFastLaunch(
  scope: Construct, list: FastLaunchOptions[] | undefined, targetAccountIds: string[] | undefined, regions: string[]): void {
  const withTemplate = (list ?? []).findIndex((options) => options.launchTemplate !== undefined);
  if (withTemplate >= 0 && regions.length > 1) {
    throw validationError(`fastLaunchConfigurations[${withTemplate}].launchTemplate is a launch template of one region, so regions must name one ` +
      `region with it, got ${regions.length} (${regions.map(shownValue).join(', ')}); for a template per region, build the distribution with ` +
      'DistributionConfiguration and an AMI distribution per region', scope);
  }
  regions.forEach((region) => validateFastLaunchConfigurations(scope, 'fastLaunchConfigurations', list, targetAccountIds, region));
}

/** A key serves the region it is in: with several regions, each would need its own. */
function validateAmiKmsKey(scope: Construct, key: kms.IKey | undefined, regions: string[]): void {
  if (!key) {
    return;
  }
  if (regions.length > 1) {
    throw validationError(
      `amiKmsKey encrypts the AMI in one region, so regions must name one region with it, got ${regions.length} (${regions.map(shownValue).join(', ')}); ` +
      'for a key per region, build the distribution with DistributionConfiguration and an AMI distribution per region', scope);
  }
  validateRegionOfKey(scope, 'amiKmsKey', key, regions[0]);
}
