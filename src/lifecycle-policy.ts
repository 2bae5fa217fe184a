import { Annotations, Duration, IResource, Lazy, Resource, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnLifecyclePolicy } from 'aws-cdk-lib/aws-imagebuilder';
import { Construct, IConstruct } from 'constructs';
import { IContainerRecipe } from './container-recipe';
import { IImageRecipe } from './image-recipe';
import { validationError } from './private/errors';
import { resolveUnversionedImport } from './private/imports';
import { allowContainerDeletion, warnUnknownRepositories } from './private/lifecycle-access';
import { injectProps } from './private/property-injection';
import { IMAGE_BUILDER_SERVICE, requireTrustedBy } from './private/role-trust';
import { LIFECYCLE_EXECUTION_POLICY, imageBuilderServiceRole } from './private/service-roles';
import {
  ImageBuilderResourceType,
  VersionWildcards,
  generateResourceName,
  nonEmptyTags,
  validateAccountId,
  validateRegion,
  validateResourceName,
  validateSemanticVersion,
  validateTagMap,
  validateTextLength,
  validateWholeNumber,
  wholeDays,
} from './private/validation';

const LIFECYCLE_POLICY_SYMBOL = Symbol.for('cdk-imagebuilder.LifecyclePolicy');

/** Every version of a recipe, past and future. */
const ALL_VERSIONS = 'x.x.x';

/** CreateLifecyclePolicy API reference: `policyDetails` has 1 to 3 items. */
const MIN_RULES = 1;
const MAX_RULES = 3;
/** LifecyclePolicyResourceSelection API reference: `recipes` has 1 to 50 items. */
const MAX_RECIPES = 50;
/** LifecyclePolicyDetailFilter API reference: `value` is 1 to 1,000 (units of time, or images). */
const MAX_FILTER_VALUE = 1000;
/** LifecyclePolicyDetailFilter API reference: `retainAtLeast` is 1 to 10. */
const MAX_RETAIN_AT_LEAST = 10;
/** LifecyclePolicyDetailExclusionRulesAmisLastLaunched API reference: `value` is 1 to 365. */
const MAX_LAST_LAUNCHED_VALUE = 365;
/** LifecyclePolicyDetailExclusionRulesAmis API reference: `sharedAccounts` has 1 to 1,536 items. */
const MAX_SHARED_ACCOUNTS = 1536;
const DAYS_PER_WEEK = 7;

/**
 * An EC2 Image Builder lifecycle policy: rules that deprecate, disable or delete old images.
 */
export interface ILifecyclePolicy extends IResource {
  /**
   * The lifecycle policy's ARN.
   *
   * @attribute
   */
  readonly lifecyclePolicyArn: string;

  /**
   * The lifecycle policy's name.
   *
   * @attribute
   */
  readonly lifecyclePolicyName: string;

  /**
   * Grants the given IAM actions on this lifecycle policy.
   *
   * @param grantee the principal
   * @param actions the actions, e.g. `imagebuilder:GetLifecyclePolicy`
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants `imagebuilder:GetLifecyclePolicy` on this lifecycle policy.
   *
   * @param grantee the principal
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * The kind of images a lifecycle policy manages.
 */
export enum LifecycleResourceType {
  /** Images that produce AMIs. */
  AMI_IMAGE = 'AMI_IMAGE',
  /** Images that produce container images. */
  CONTAINER_IMAGE = 'CONTAINER_IMAGE',
}

/**
 * Whether Image Builder runs a lifecycle policy.
 */
export enum LifecyclePolicyStatus {
  /** The policy runs (once a day). */
  ENABLED = 'ENABLED',
  /** The policy does not run. */
  DISABLED = 'DISABLED',
}

/**
 * What a lifecycle rule does to the images it matches.
 */
export enum LifecycleAction {
  /** Sets the image to Deprecated and, with `includeAmis`, deprecates its AMIs. Only for AMI images. */
  DEPRECATE = 'DEPRECATE',
  /** Sets the image to Disabled and, with `includeAmis`, disables its AMIs. Only for AMI images. */
  DISABLE = 'DISABLE',
  /** Deletes the image and, with `includeAmis`/`includeSnapshots`/`includeContainers`, what it distributed. */
  DELETE = 'DELETE',
}

/**
 * Units of time of lifecycle ages.
 */
export enum LifecycleTimeUnit {
  /** Days. */
  DAYS = 'DAYS',
  /** Weeks. */
  WEEKS = 'WEEKS',
  /** Calendar months. */
  MONTHS = 'MONTHS',
  /** Calendar years. */
  YEARS = 'YEARS',
}

/**
 * A number of days, weeks, calendar months or years, for exceptions that a `Duration` cannot
 * express in months or years.
 */
export class LifecycleTimeSpan {
  /**
   * @param value a whole number of units
   * @param unit the unit
   */
  public static of(value: number, unit: LifecycleTimeUnit): LifecycleTimeSpan {
    return new LifecycleTimeSpan(value, unit);
  }

  /** The number of units. */
  public readonly value: number;
  /** The unit. */
  public readonly unit: LifecycleTimeUnit;

  private constructor(value: number, unit: LifecycleTimeUnit) {
    this.value = value;
    this.unit = unit;
  }
}

/**
 * A recipe whose images a lifecycle policy manages, with the versions it covers.
 */
export class LifecycleRecipeSelection {
  /**
   * The images of an image recipe, for `AMI_IMAGE` policies.
   *
   * @param recipe the recipe
   * @param version the recipe versions, with trailing `x` wildcards, e.g. `1.x.x`; default: every version (`x.x.x`),
   *   which covers each new version a recipe of this library creates when it changes
   */
  public static imageRecipe(recipe: IImageRecipe, version?: string): LifecycleRecipeSelection {
    return new LifecycleRecipeSelection(recipe.imageRecipeName, version ?? ALL_VERSIONS, { imageRecipe: recipe });
  }

  /**
   * The images of a container recipe, for `CONTAINER_IMAGE` policies.
   *
   * @param recipe the recipe
   * @param version the recipe versions, with trailing `x` wildcards, e.g. `1.x.x`; default: every version (`x.x.x`)
   */
  public static containerRecipe(recipe: IContainerRecipe, version?: string): LifecycleRecipeSelection {
    return new LifecycleRecipeSelection(recipe.containerRecipeName, version ?? ALL_VERSIONS, { containerRecipe: recipe });
  }

  /**
   * Any recipe of this account and region by name, image or container recipe alike.
   *
   * @param recipeName the recipe's name
   * @param version the recipe versions, with trailing `x` wildcards, e.g. `1.0.x`; default: every version (`x.x.x`)
   */
  public static fromRecipeName(recipeName: string, version?: string): LifecycleRecipeSelection {
    return new LifecycleRecipeSelection(recipeName, version ?? ALL_VERSIONS);
  }

  /** The recipe's name. */
  public readonly recipeName: string;
  /** The recipe versions covered, e.g. `x.x.x`. */
  public readonly recipeVersion: string;
  /** The recipe of `imageRecipe`, whose images are AMIs. */
  private readonly imageRecipe?: IImageRecipe;
  /** The recipe of `containerRecipe`, whose target repository the policy may delete images from. */
  private readonly containerRecipe?: IContainerRecipe;

  private constructor(
    recipeName: string, recipeVersion: string, recipes: { imageRecipe?: IImageRecipe; containerRecipe?: IContainerRecipe } = {},
  ) {
    this.recipeName = recipeName;
    this.recipeVersion = recipeVersion;
    this.imageRecipe = recipes.imageRecipe;
    this.containerRecipe = recipes.containerRecipe;
  }

  /** The policy type the recipe's images belong to, when the recipe is known (not by name alone). */
  private get kind(): LifecycleResourceType | undefined {
    if (this.imageRecipe) {
      return LifecycleResourceType.AMI_IMAGE;
    }
    return this.containerRecipe ? LifecycleResourceType.CONTAINER_IMAGE : undefined;
  }

  /**
   * Lets Image Builder delete the images of this recipe from its target repository, as `what` asks:
   * the repository gets the tag the service needs when this app created it; otherwise `scope` gets
   * a warning that names the tag.
   *
   * @internal
   */
  public _allowContainerDeletion(scope: IConstruct, what: string): void {
    if (this.containerRecipe) {
      allowContainerDeletion(scope, this.containerRecipe, what);
    } else if (this.kind === undefined) {
      warnUnknownRepositories(scope, what, `the repositories recipe '${this.recipeName}' pushes to`);
    }
  }

  /**
   * Checks the selection for a policy of `resourceType` and renders it for CloudFormation.
   *
   * @internal
   */
  public _render(scope: Construct, resourceType: LifecycleResourceType): CfnLifecyclePolicy.RecipeSelectionProperty {
    if (this.kind !== undefined && this.kind !== resourceType) {
      const [factory, otherFactory] = this.kind === LifecycleResourceType.AMI_IMAGE
        ? ['imageRecipe', 'containerRecipe'] : ['containerRecipe', 'imageRecipe'];
      throw validationError(
        `resourceSelection: ${this.label()} from LifecycleRecipeSelection.${factory} builds ${this.kind} images, ` +
        `but resourceType is '${resourceType}'; use LifecycleRecipeSelection.${otherFactory} or resourceType ${this.kind}`, scope);
    }
    validateResourceName(scope, 'resourceSelection recipe name', this.recipeName);
    validateSemanticVersion(scope, `resourceSelection ${this.label()} version`, this.recipeVersion, VersionWildcards.TRAILING);
    return { name: this.recipeName, semanticVersion: this.recipeVersion };
  }

  /** `recipe 'name'`, or the recipe's construct path when its name is a token (as for a recipe of this app). */
  private label(): string {
    if (!Token.isUnresolved(this.recipeName)) {
      return `recipe '${this.recipeName}'`;
    }
    const recipe = this.imageRecipe ?? this.containerRecipe;
    return recipe ? `recipe ${recipe.node.path}` : 'recipe (name known only at deployment)';
  }
}

/**
 * Which images a lifecycle policy manages: those of some recipes, or those with some tags.
 */
export class LifecycleResourceSelection {
  /**
   * The images built from these recipes (1 to 50).
   *
   * @param recipes the recipes, with the versions to cover
   */
  public static fromRecipes(recipes: LifecycleRecipeSelection[]): LifecycleResourceSelection {
    return new LifecycleResourceSelection(recipes, undefined);
  }

  /**
   * The images that have any of these tags (1 to 50).
   *
   * @param tags the tags
   */
  public static fromTags(tags: { [key: string]: string }): LifecycleResourceSelection {
    return new LifecycleResourceSelection(undefined, tags);
  }

  private readonly recipes?: LifecycleRecipeSelection[];
  private readonly tags?: { [key: string]: string };

  private constructor(recipes: LifecycleRecipeSelection[] | undefined, tags: { [key: string]: string } | undefined) {
    this.recipes = recipes;
    this.tags = tags;
  }

  /**
   * Lets Image Builder delete the selected container images from their repositories, as `what`
   * asks: see `LifecycleRecipeSelection._allowContainerDeletion`. Images selected by tag may be in
   * any repository, which a warning says.
   *
   * @internal
   */
  public _allowContainerDeletion(scope: IConstruct, what: string): void {
    if (this.recipes === undefined) {
      warnUnknownRepositories(scope, what, 'the repositories of the images with the selected tags');
      return;
    }
    this.recipes.forEach((recipe) => recipe._allowContainerDeletion(scope, what));
  }

  /**
   * Checks the selection and renders it for CloudFormation.
   *
   * @internal
   */
  public _render(scope: Construct, resourceType: LifecycleResourceType): CfnLifecyclePolicy.ResourceSelectionProperty {
    if (this.recipes !== undefined) {
      // LifecyclePolicyResourceSelection API reference: recipes has 1 to 50 items.
      if (this.recipes.length < 1 || this.recipes.length > MAX_RECIPES) {
        throw validationError(
          `resourceSelection must have 1 to ${MAX_RECIPES} recipes, got ${this.recipes.length}`, scope);
      }
      return { recipes: this.recipes.map((recipe) => recipe._render(scope, resourceType)) };
    }
    const tags = this.tags ?? {};
    if (Object.keys(tags).length === 0) {
      throw validationError('resourceSelection must have 1 to 50 tags, got none', scope);
    }
    // LifecyclePolicyResourceSelection API reference: tagMap has at most 50 entries, keys 1-128 not `aws:`, values up to 256.
    validateTagMap(scope, 'resourceSelection tags', tags);
    return { tagMap: tags };
  }
}

/**
 * Which images a lifecycle rule acts on: those older than an age, or those beyond a number of the
 * newest.
 */
export class LifecycleFilter {
  /**
   * Images older than `age`, a whole number of days: up to 1,000 days, or up to 1,000 weeks in
   * whole weeks. Use `ageInUnits` for calendar months and years.
   *
   * @param age the age, e.g. `Duration.days(90)`
   */
  public static age(age: Duration): LifecycleFilter {
    return new LifecycleFilter('AGE', undefined, undefined, age);
  }

  /**
   * Images older than `value` units of time, e.g. 6 months.
   *
   * @param value the number of units, 1 to 1,000
   * @param unit the unit
   */
  public static ageInUnits(value: number, unit: LifecycleTimeUnit): LifecycleFilter {
    return new LifecycleFilter('AGE', value, unit, undefined);
  }

  /**
   * Every image but the newest `count` ones.
   *
   * @param count how many of the newest images to keep out of the rule, 1 to 1,000
   */
  public static count(count: number): LifecycleFilter {
    return new LifecycleFilter('COUNT', count, undefined, undefined);
  }

  private readonly filterType: string;
  private readonly value?: number;
  private readonly unit?: LifecycleTimeUnit;
  private readonly duration?: Duration;

  private constructor(filterType: string, value: number | undefined, unit: LifecycleTimeUnit | undefined, duration: Duration | undefined) {
    this.filterType = filterType;
    this.value = value;
    this.unit = unit;
    this.duration = duration;
  }

  /**
   * Whether the filter selects images by age.
   *
   * @internal
   */
  public get _isAgeFilter(): boolean {
    return this.filterType === 'AGE';
  }

  /**
   * Checks the filter and renders it for CloudFormation.
   *
   * @internal
   */
  public _render(scope: Construct, where: string, retainAtLeast: number | undefined): CfnLifecyclePolicy.FilterProperty {
    let value: number;
    let unit: string | undefined;
    if (this.duration !== undefined) {
      ({ value, unit } = durationToAge(scope, `${where} filter age`, this.duration, MAX_FILTER_VALUE));
    } else {
      value = this.value!;
      unit = this.unit;
      // LifecyclePolicyDetailFilter API reference: value is 1 to 1,000.
      const what = this.filterType === 'COUNT' ? 'filter count' : 'filter age';
      validateWholeNumber(scope, `${where} ${what}`, value, 1, MAX_FILTER_VALUE);
    }
    return { type: this.filterType, value, unit, retainAtLeast };
  }
}

/**
 * A lifecycle rule: an action, the images it acts on, and the exceptions.
 */
export interface LifecycleRule {
  /**
   * What to do with the images the rule matches. A policy has at most one rule per action.
   */
  readonly action: LifecycleAction;

  /**
   * Which images the rule matches: by age or by count.
   */
  readonly filter: LifecycleFilter;

  /**
   * With an age filter, the number of the newest images the rule always leaves alone, even when
   * they are old enough (1 to 10).
   *
   * @default - none: every image old enough is acted on
   */
  readonly retainAtLeast?: number;

  /**
   * Extend the action to the AMIs the image distributed: deprecate, disable, or deregister them.
   * Only for `AMI_IMAGE` policies.
   *
   * @default false
   */
  readonly includeAmis?: boolean;

  /**
   * Delete the snapshots of the AMIs the rule deregisters. Only for `DELETE` rules of
   * `AMI_IMAGE` policies, with `includeAmis`.
   *
   * @default false
   */
  readonly includeSnapshots?: boolean;

  /**
   * Delete the container images the image distributed to ECR. Only for `CONTAINER_IMAGE` policies.
   *
   * Image Builder deletes images from a repository only if it has the tag
   * `LifecycleExecutionAccess: EC2 Image Builder`. The policy adds it to the target repositories
   * of the container recipes it selects when this app creates them, and warns about the others.
   *
   * @default false
   */
  readonly includeContainers?: boolean;

  /**
   * Skip Image Builder images that have any of these tags (at most 50).
   *
   * @default - no images are skipped for their tags
   */
  readonly excludeImageTags?: { [key: string]: string };

  /**
   * Skip AMIs that are public. Only for `AMI_IMAGE` policies.
   *
   * @default false
   */
  readonly excludePublicAmis?: boolean;

  /**
   * Skip AMIs that launched an instance within this time, in whole days: up to 365 days, or up to
   * 365 weeks in whole weeks. Only for `AMI_IMAGE` policies.
   *
   * @default - AMIs are not skipped for recent launches
   */
  readonly excludeAmisLaunchedWithin?: Duration;

  /**
   * Skip AMIs that launched an instance within this many days, weeks, calendar months or years (1
   * to 365 of the unit), e.g. `LifecycleTimeSpan.of(6, LifecycleTimeUnit.MONTHS)`. Give this or
   * `excludeAmisLaunchedWithin`, not both. Only for `AMI_IMAGE` policies.
   *
   * @default - AMIs are not skipped for recent launches
   */
  readonly excludeAmisLaunchedWithinSpan?: LifecycleTimeSpan;

  /**
   * Skip AMIs in these regions. Only for `AMI_IMAGE` policies.
   *
   * @default - AMIs are not skipped for their region
   */
  readonly excludeAmiRegions?: string[];

  /**
   * Skip AMIs shared with these accounts (1 to 1,536). Only for `AMI_IMAGE` policies.
   *
   * @default - AMIs are not skipped for whom they are shared with
   */
  readonly excludeAmiSharedAccounts?: string[];

  /**
   * Skip AMIs that have any of these tags (at most 50). Only for `AMI_IMAGE` policies.
   *
   * @default - AMIs are not skipped for their tags
   */
  readonly excludeAmiTags?: { [key: string]: string };
}

/**
 * Properties of a {@link LifecyclePolicy}.
 */
export interface LifecyclePolicyProps {
  /**
   * The kind of images the policy manages.
   */
  readonly resourceType: LifecycleResourceType;

  /**
   * Which images the policy manages.
   */
  readonly resourceSelection: LifecycleResourceSelection;

  /**
   * The rules, 1 to 3, at most one per action.
   */
  readonly rules: LifecycleRule[];

  /**
   * The policy's name.
   *
   * @default - generated from the construct path: valid, deterministic and unique in the stack
   */
  readonly lifecyclePolicyName?: string;

  /**
   * What the policy is for.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Whether the policy runs.
   *
   * @default LifecyclePolicyStatus.ENABLED
   */
  readonly status?: LifecyclePolicyStatus;

  /**
   * The role Image Builder runs the policy's actions as.
   * A role of this app must trust `imagebuilder.amazonaws.com`, or synthesis fails.
   *
   * @default - a role Image Builder assumes, with the AWS-managed policy
   * `service-role/EC2ImageBuilderLifecycleExecutionPolicy`
   */
  readonly executionRole?: iam.IRole;

  /**
   * Tags for the policy.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * How to refer to an existing lifecycle policy.
 */
export interface LifecyclePolicyAttributes {
  /**
   * The policy's ARN. Give this or `lifecyclePolicyName`, or both when they agree.
   *
   * @default - built from `lifecyclePolicyName` in this stack's account and region
   */
  readonly lifecyclePolicyArn?: string;

  /**
   * The policy's name. Give this or `lifecyclePolicyArn`, or both when they agree.
   *
   * @default - taken from `lifecyclePolicyArn`
   */
  readonly lifecyclePolicyName?: string;
}

abstract class LifecyclePolicyBase extends Resource implements ILifecyclePolicy {
  public abstract readonly lifecyclePolicyArn: string;
  public abstract readonly lifecyclePolicyName: string;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.lifecyclePolicyArn] });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'imagebuilder:GetLifecyclePolicy');
  }
}

/**
 * An EC2 Image Builder lifecycle policy: once a day, Image Builder deprecates, disables or
 * deletes the images (and optionally their AMIs, snapshots or container images) that its rules
 * match.
 *
 * By default it creates the execution role with the AWS-managed policy Image Builder documents
 * for it.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-image-lifecycles.html
 */
export class LifecyclePolicy extends LifecyclePolicyBase {
  /** Names this class to property injectors (`PropertyInjectors`, `App`'s `propertyInjectors`). */
  public static readonly PROPERTY_INJECTION_ID = 'cdk-imagebuilder.LifecyclePolicy';

  /**
   * Imports a lifecycle policy by ARN.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param lifecyclePolicyArn the policy's ARN
   */
  public static fromLifecyclePolicyArn(scope: Construct, id: string, lifecyclePolicyArn: string): ILifecyclePolicy {
    return LifecyclePolicy.fromLifecyclePolicyAttributes(scope, id, { lifecyclePolicyArn });
  }

  /**
   * Imports a lifecycle policy of this stack's account and region by name.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param lifecyclePolicyName the policy's name
   */
  public static fromLifecyclePolicyName(scope: Construct, id: string, lifecyclePolicyName: string): ILifecyclePolicy {
    return LifecyclePolicy.fromLifecyclePolicyAttributes(scope, id, { lifecyclePolicyName });
  }

  /**
   * Imports a lifecycle policy from its attributes.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param attrs the policy's attributes
   */
  public static fromLifecyclePolicyAttributes(scope: Construct, id: string, attrs: LifecyclePolicyAttributes): ILifecyclePolicy {
    const { arn, name } = resolveUnversionedImport(scope, {
      type: ImageBuilderResourceType.LIFECYCLE_POLICY,
      prop: 'lifecyclePolicy',
      label: 'a lifecycle policy',
      arn: attrs.lifecyclePolicyArn,
      name: attrs.lifecyclePolicyName,
    });

    class Import extends LifecyclePolicyBase {
      public readonly lifecyclePolicyArn = arn;
      public readonly lifecyclePolicyName = name;
    }
    return new Import(scope, id);
  }

  /**
   * Whether `x` is a `LifecyclePolicy` created by this library.
   *
   * @param x any value
   */
  public static isLifecyclePolicy(x: any): x is LifecyclePolicy {
    return x !== null && typeof x === 'object' && LIFECYCLE_POLICY_SYMBOL in x;
  }

  public readonly lifecyclePolicyArn: string;
  public readonly lifecyclePolicyName: string;

  /**
   * The role Image Builder runs the policy's actions as: the one given, or the one created.
   */
  public readonly executionRole: iam.IRole;

  public constructor(scope: Construct, id: string, props: LifecyclePolicyProps) {
    props = injectProps(LifecyclePolicy.PROPERTY_INJECTION_ID, scope, id, props);
    super(scope, id, {
      physicalName: props.lifecyclePolicyName ?? Lazy.string({ produce: () => generateResourceName(this) }),
    });
    Object.defineProperty(this, LIFECYCLE_POLICY_SYMBOL, { value: true });

    const name = props.lifecyclePolicyName ?? generateResourceName(this);
    validateResourceName(this, 'lifecyclePolicyName', name);
    validateTextLength(this, 'description', props.description);
    validateTagMap(this, 'tags', props.tags);
    validateRules(this, props.resourceType, props.rules);
    const resourceSelection = props.resourceSelection._render(this, props.resourceType);
    const policyDetails = props.rules.map((rule, i) => renderRule(this, props.resourceType, rule, i));
    warnRulesThatNeverAct(this, props.rules, policyDetails);

    requireTrustedBy(this, 'executionRole', props.executionRole, IMAGE_BUILDER_SERVICE, 'Image Builder runs the policy\'s actions as it');
    this.executionRole = props.executionRole ?? this.createExecutionRole();

    const resource = new CfnLifecyclePolicy(this, 'Resource', {
      name,
      description: props.description,
      status: props.status ?? LifecyclePolicyStatus.ENABLED,
      executionRole: this.executionRole.roleArn,
      resourceType: props.resourceType,
      resourceSelection,
      policyDetails,
      tags: props.tags,
    });

    this.lifecyclePolicyArn = resource.attrArn;
    this.lifecyclePolicyName = name;

    if (props.rules.some((rule) => rule.includeContainers)) {
      // Image Builder deletes images from an ECR repository only when the repository carries the tag
      // `LifecycleExecutionAccess: EC2 Image Builder` (user guide, "Lifecycle management
      // prerequisites"): repositories of this app get it; others are named in a warning.
      props.resourceSelection._allowContainerDeletion(this, 'includeContainers');
    }
  }

  private createExecutionRole(): iam.IRole {
    return imageBuilderServiceRole(this, 'ExecutionRole', {
      managedPolicy: LIFECYCLE_EXECUTION_POLICY,
      description: 'EC2 Image Builder lifecycle policy execution',
      suppressionReason: 'the AWS-managed policy Image Builder documents for lifecycle execution roles: maintained by AWS as the service ' +
        'changes, and limited by its conditions to resources Image Builder tagged as created by it',
    });
  }
}

/** The rules across the policy: how many, and one per action. */
function validateRules(scope: Construct, resourceType: LifecycleResourceType, rules: LifecycleRule[]): void {
  // CreateLifecyclePolicy API reference (and the CLI's constraints): policyDetails has 1 to 3 items.
  if (rules.length < MIN_RULES || rules.length > MAX_RULES) {
    throw validationError(`rules must have ${MIN_RULES} to ${MAX_RULES} rules, got ${rules.length}`, scope);
  }
  // User guide, "How lifecycle management rules work": a policy has a deprecate, a disable and a
  // delete rule type; the console offers each once, and three rules at most leave no room for more.
  const seen = new Set<LifecycleAction>();
  for (const rule of rules) {
    if (seen.has(rule.action)) {
      throw validationError(
        `rules must have at most one rule per action, got more than one '${rule.action}' rule`, scope);
    }
    seen.add(rule.action);
  }
  rules.forEach((rule, i) => validateRule(scope, resourceType, rule, `rules[${i}]`));
}

/** The combinations the service documents for one rule. */
function validateRule(scope: Construct, resourceType: LifecycleResourceType, rule: LifecycleRule, where: string): void {
  const ami = resourceType === LifecycleResourceType.AMI_IMAGE;
  // User guide, "How lifecycle management rules work": deprecate and disable rules are "not
  // available for container images".
  if (!ami && rule.action !== LifecycleAction.DELETE) {
    throw validationError(
      `${where}: action '${rule.action}' is only for AMI_IMAGE policies; CONTAINER_IMAGE policies allow only 'DELETE'`, scope);
  }
  // LifecyclePolicyDetailActionIncludeResources API reference: amis and snapshots are "distributed
  // AMIs" and their snapshots, containers are "distributed containers".
  for (const prop of ['includeAmis', 'includeSnapshots'] as const) {
    if (rule[prop] && !ami) {
      throw validationError(`${where}: ${prop} is only for AMI_IMAGE policies, got resourceType '${resourceType}'`, scope);
    }
  }
  if (rule.includeContainers && ami) {
    throw validationError(`${where}: includeContainers is only for CONTAINER_IMAGE policies, got resourceType '${resourceType}'`, scope);
  }
  // User guide, "How lifecycle management rules work": only the delete rule deletes snapshots, and
  // only of the AMIs it deregisters.
  if (rule.includeSnapshots && rule.action !== LifecycleAction.DELETE) {
    throw validationError(`${where}: includeSnapshots is only for 'DELETE' rules, got action '${rule.action}'`, scope);
  }
  if (rule.includeSnapshots && !rule.includeAmis) {
    throw validationError(
      `${where}: includeSnapshots needs includeAmis true (snapshots of AMIs that stay registered cannot be deleted), ` +
      `got includeAmis ${rule.includeAmis ?? 'unset'}`, scope);
  }
  // LifecyclePolicyDetailFilter API reference: retainAtLeast is "for age-based filters", 1 to 10.
  if (rule.retainAtLeast !== undefined && !rule.filter._isAgeFilter) {
    throw validationError(
      `${where}: retainAtLeast is only for age filters (LifecycleFilter.age or ageInUnits), got a count filter`, scope);
  }
  validateWholeNumber(scope, `${where} retainAtLeast`, rule.retainAtLeast, 1, MAX_RETAIN_AT_LEAST);
  // User guide, "AMI lifecycle exclusion rules" (LifecyclePolicyDetailExclusionRulesAmis): for AMIs only.
  if (!ami) {
    const amiExclusions = ([
      'excludePublicAmis', 'excludeAmisLaunchedWithin', 'excludeAmisLaunchedWithinSpan', 'excludeAmiRegions', 'excludeAmiSharedAccounts', 'excludeAmiTags',
    ] as const)
      .filter((prop) => isSet(rule[prop]));
    if (amiExclusions.length > 0) {
      throw validationError(
        `${where}: ${amiExclusions.join(', ')} ${amiExclusions.length > 1 ? 'are' : 'is'} only for AMI_IMAGE policies, ` +
        `got resourceType '${resourceType}'; use excludeImageTags`, scope);
    }
  }
  if (rule.excludeAmiSharedAccounts !== undefined) {
    const count = rule.excludeAmiSharedAccounts.length;
    // LifecyclePolicyDetailExclusionRulesAmis API reference: sharedAccounts has 1 to 1,536 items of 12 digits.
    if (count < 1 || count > MAX_SHARED_ACCOUNTS) {
      throw validationError(
        `${where} excludeAmiSharedAccounts must list 1 to ${MAX_SHARED_ACCOUNTS} accounts, got ${count}; omit it to skip no AMIs for sharing`, scope);
    }
    rule.excludeAmiSharedAccounts.forEach((account) => validateAccountId(scope, `${where} excludeAmiSharedAccounts`, account));
  }
  if (rule.excludeAmisLaunchedWithin !== undefined && rule.excludeAmisLaunchedWithinSpan !== undefined) {
    throw validationError(`${where}: give excludeAmisLaunchedWithin or excludeAmisLaunchedWithinSpan, not both, got both`, scope);
  }
  if (rule.excludeAmisLaunchedWithinSpan !== undefined) {
    // LifecyclePolicyDetailExclusionRulesAmisLastLaunched API reference: value is 1 to 365 of the unit.
    validateWholeNumber(scope, `${where} excludeAmisLaunchedWithinSpan`, rule.excludeAmisLaunchedWithinSpan.value, 1, MAX_LAST_LAUNCHED_VALUE);
  }
  rule.excludeAmiRegions?.forEach((region) => validateRegion(scope, `${where} excludeAmiRegions`, region));
  // LifecyclePolicyDetailExclusionRules(Amis) API reference: tagMap has at most 50 entries, keys 1-128 not `aws:`, values up to 256.
  validateTagMap(scope, `${where} excludeImageTags`, rule.excludeImageTags);
  validateTagMap(scope, `${where} excludeAmiTags`, rule.excludeAmiTags);
}

/** The fewest and most days a unit of age can be: months and years are calendar units. */
const UNIT_DAYS: Record<LifecycleTimeUnit, { min: number; max: number }> = {
  DAYS: { min: 1, max: 1 },
  WEEKS: { min: 7, max: 7 },
  MONTHS: { min: 28, max: 31 },
  YEARS: { min: 365, max: 366 },
};

/**
 * Warns of an age rule that a delete rule always acts before, e.g. a deprecate rule at 90 days
 * with a delete rule at 30 days: the images it would act on are deleted first, except those
 * already older when the policy first runs (the user guide, "How lifecycle policy execution works":
 * one action an image per run, deprecate before disable before delete). A later disable rule is
 * not compared: whether a disabled image is deprecated later is not documented.
 */
function warnRulesThatNeverAct(scope: Construct, rules: LifecycleRule[], policyDetails: CfnLifecyclePolicy.PolicyDetailProperty[]): void {
  const ages = rules.map((rule, i) => ({ rule, age: certainAge(policyDetails[i].filter as CfnLifecyclePolicy.FilterProperty) }));
  // Images a delete rule keeps (retainAtLeast, exclusions) can still reach the other rule's age.
  const deletes = ages.filter(({ rule, age }) => rule.action === LifecycleAction.DELETE && age && actsOnEveryMatch(rule));
  for (const { rule, age } of ages) {
    if (!age || rule.action === LifecycleAction.DELETE) {
      continue;
    }
    const youngest = deletes
      .filter((deletion) => deletion.age!.days.max < age.days.min)
      .sort((a, b) => a.age!.days.max - b.age!.days.max)[0];
    if (youngest) {
      Annotations.of(scope).addWarningV2('cdk-imagebuilder:lifecycleRuleNeverActs',
        `rules: the ${rule.action} rule acts at ${age.text}, but the DELETE rule deletes images at ${youngest.age!.text}, ` +
        `so the ${rule.action} rule acts only on images already older than ${age.text} when the policy first runs`);
    }
  }
}

/** An age filter's age in days, fewest and most, and as given; `undefined` for a count filter or a token. */
function certainAge(filter: CfnLifecyclePolicy.FilterProperty): { days: { min: number; max: number }; text: string } | undefined {
  const { type, value, unit } = filter;
  const perUnit = UNIT_DAYS[unit as LifecycleTimeUnit];
  if (type !== 'AGE' || Token.isUnresolved(value) || perUnit === undefined) {
    return undefined;
  }
  const name = unit!.toLowerCase();
  return { days: { min: value * perUnit.min, max: value * perUnit.max }, text: `${value} ${value === 1 ? name.slice(0, -1) : name}` };
}

/** Whether a rule acts on every image its filter matches: no retainAtLeast, no exclusions. */
function actsOnEveryMatch(rule: LifecycleRule): boolean {
  return rule.retainAtLeast === undefined && ([
    'excludeImageTags', 'excludePublicAmis', 'excludeAmisLaunchedWithin', 'excludeAmisLaunchedWithinSpan',
    'excludeAmiRegions', 'excludeAmiSharedAccounts', 'excludeAmiTags',
  ] as const).every((prop) => !isSet(rule[prop]));
}

/** Whether an AMI-only value renders to something: `false`, `[]` and `{}` render to nothing. */
function isSet(value: unknown): boolean {
  if (value === undefined || value === false) {
    return false;
  }
  return typeof value !== 'object' || value === null || Object.keys(value).length > 0;
}

function renderRule(scope: Construct, resourceType: LifecycleResourceType, rule: LifecycleRule, i: number): CfnLifecyclePolicy.PolicyDetailProperty {
  const where = `rules[${i}]`;
  const includeResources: CfnLifecyclePolicy.IncludeResourcesProperty = {
    amis: rule.includeAmis || undefined,
    snapshots: rule.includeSnapshots || undefined,
    containers: rule.includeContainers || undefined,
  };
  const amis: CfnLifecyclePolicy.AmiExclusionRulesProperty = {
    isPublic: rule.excludePublicAmis || undefined,
    // LifecyclePolicyDetailExclusionRulesAmisLastLaunched API reference: value is 1 to 365.
    lastLaunched: lastLaunched(scope, where, rule),
    regions: rule.excludeAmiRegions?.length ? rule.excludeAmiRegions : undefined,
    sharedAccounts: rule.excludeAmiSharedAccounts,
    tagMap: nonEmptyTags(rule.excludeAmiTags),
  };
  const exclusionRules: CfnLifecyclePolicy.ExclusionRulesProperty = {
    amis: resourceType === LifecycleResourceType.AMI_IMAGE ? definedOnly(amis) : undefined,
    tagMap: nonEmptyTags(rule.excludeImageTags),
  };
  return {
    action: { type: rule.action, includeResources: definedOnly(includeResources) },
    filter: rule.filter._render(scope, where, rule.retainAtLeast),
    exclusionRules: definedOnly(exclusionRules),
  };
}

/** The AMI exception for recent launches, from a `Duration` or a span in units. */
function lastLaunched(scope: Construct, where: string, rule: LifecycleRule): { value: number; unit: LifecycleTimeUnit } | undefined {
  if (rule.excludeAmisLaunchedWithinSpan) {
    return { value: rule.excludeAmisLaunchedWithinSpan.value, unit: rule.excludeAmisLaunchedWithinSpan.unit };
  }
  return rule.excludeAmisLaunchedWithin
    ? durationToAge(scope, `${where} excludeAmisLaunchedWithin`, rule.excludeAmisLaunchedWithin, MAX_LAST_LAUNCHED_VALUE)
    : undefined;
}

/**
 * A `Duration` as a lifecycle age: whole days, in DAYS up to `max`, beyond that in WEEKS when it
 * is whole weeks. Months and years are calendar units that no fixed duration equals.
 */
function durationToAge(scope: Construct, prop: string, duration: Duration, max: number): { value: number; unit: LifecycleTimeUnit } {
  if (duration.isUnresolved()) {
    // A token can only be passed on in the unit it was given in, and the age is written in days.
    if (duration.unitLabel() !== 'days') {
      throw validationError(`${prop} known only at deployment must be given in days (Duration.days), got one in ${duration.unitLabel()}`, scope);
    }
    return { value: duration.toDays(), unit: LifecycleTimeUnit.DAYS };
  }
  const days = wholeDays(scope, prop, duration);
  if (days <= max) {
    return { value: days, unit: LifecycleTimeUnit.DAYS };
  }
  if (days % DAYS_PER_WEEK === 0 && days / DAYS_PER_WEEK <= max) {
    return { value: days / DAYS_PER_WEEK, unit: LifecycleTimeUnit.WEEKS };
  }
  throw validationError(
    `${prop} must be at most ${max} days, or at most ${max} weeks in whole weeks, got ${days} days`, scope);
}

/** The object, or `undefined` when it has no defined values, so CloudFormation gets no empty structs. */
function definedOnly<T extends object>(o: T): T | undefined {
  return Object.values(o).some((v) => v !== undefined) ? o : undefined;
}
