import { Annotations, CfnResource, Lazy, Stack, Token } from 'aws-cdk-lib';
import { CfnImageRecipe } from 'aws-cdk-lib/aws-imagebuilder';
import { IConstruct } from 'constructs';
import { Component, IComponent } from '../component';
import { ResourcePolicy } from '../custom-resources/resource-policy';
import type { RecipeComponent } from '../image-recipe';
import { OsVersion, Platform } from '../platform';
import { validationError } from './errors';
import { fingerprint } from './fingerprint';
import { DocumentSummary, summaryOf } from './toe/document-summary';
import { validateArnInStackRegion } from './validation';

/** Image Builder runs at most 20 build and test components in a recipe (ImageRecipe API reference). */
export const MAX_RECIPE_COMPONENTS = 20;

/** A component in a recipe, with its parameter values. */
export interface RecipeComponentEntry {
  readonly component: IComponent;
  readonly parameters?: { [name: string]: string };
}

/** What a recipe knows of the image it starts from, for the checks of its components. */
export interface RecipeBase {
  readonly platform?: Platform;
  /** Where `platform` comes from, for messages: by default the parent image. */
  readonly platformSource?: string;
  /** The parent image's operating system, which Image Builder matches with the components' `supportedOsVersions`. */
  readonly osVersion?: OsVersion;
}

/**
 * Checks a component before it joins a recipe: the count limit, the platform (of the recipe, or of
 * the components already there when the parent image's platform is unknown), the operating system
 * of the parent image when both it and the component's are known and, when the component's
 * document is known, its parameters.
 */
export function validateRecipeComponent(
  scope: IConstruct, entry: RecipeComponentEntry, existing: readonly RecipeComponentEntry[], base: RecipeBase,
): void {
  const platform = base.platform;
  const platformSource = base.platformSource ?? 'the platform of the parent image';
  if (existing.length >= MAX_RECIPE_COMPONENTS) {
    throw validationError(`components must be at most ${MAX_RECIPE_COMPONENTS}, got ${existing.length + 1}`, scope);
  }
  const label = componentLabel(entry.component);
  const expected = platform ?? existing.map((e) => e.component.platform).find((p) => p !== undefined);
  const actual = entry.component.platform;
  if (expected !== undefined && actual !== undefined && actual !== expected) {
    throw validationError(
      `components must all run on ${expected}${platform ? `, ${platformSource}` : ''}, got ${label} for ${actual}`, scope);
  }

  validateOsVersionMatch(scope, entry.component, base.osVersion);
  validateArnInStackRegion(scope, 'components', entry.component.componentArn, 'component', 'where the recipe is created', entry.component);

  const summary = documentSummary(entry.component);
  if (!summary) {
    return;
  }
  const given = Object.keys(entry.parameters ?? {});
  const declared = summary.parameters.map((p) => p.name);
  for (const name of given) {
    if (!declared.includes(name)) {
      throw validationError(
        `parameters of ${label} must be among those its document declares (${declared.join(', ') || 'none'}), got '${name}'`, scope);
    }
  }
  for (const p of summary.parameters) {
    if (!p.hasDefault && !given.includes(p.name)) {
      throw validationError(`parameters of ${label} must give '${p.name}', which has no default`, scope);
    }
  }
}

/** The OS versions this library names, whose names it knows to be the service's. */
const LIBRARY_OS_VERSIONS: ReadonlySet<unknown> = new Set(Object.values(OsVersion).filter((value) => value instanceof OsVersion));

/**
 * "If the OS information is available, a prefix match is performed against the base image OS
 * version during image recipe creation" (CreateComponent API reference): a component none of whose
 * `supportedOsVersions` matches the parent image's OS fails the recipe's creation. Either name may
 * be the prefix, as the names this library knows may be shorter than the service's. Names given
 * with `OsVersion.of` are not compared: they may be written otherwise than the library's.
 */
function validateOsVersionMatch(scope: IConstruct, component: IComponent, parentOs: OsVersion | undefined): void {
  const supported = Component.isComponent(component) ? component.supportedOsVersions : undefined;
  if (!parentOs || !supported || supported.length === 0 || !supported.every((os) => LIBRARY_OS_VERSIONS.has(os))) {
    return;
  }
  const matches = (os: OsVersion) => parentOs.name.startsWith(os.name) || os.name.startsWith(parentOs.name);
  if (!supported.some(matches)) {
    throw validationError(`components must support the parent image's operating system, ${parentOs.name}, got ${componentLabel(component)} ` +
      `with supportedOsVersions ${supported.map((os) => `'${os.name}'`).join(', ')}`, scope);
  }
}

/**
 * The components of a recipe that have `files`, and who must be able to read them: the pipelines
 * and images that build the recipe register their instances, for the components there are and
 * those added later.
 */
export class ComponentFileReaders {
  private readonly readers: Array<(component: Component) => void> = [];
  private readonly withFiles: Component[] = [];

  public componentAdded(component: IComponent): void {
    if (Component.isComponent(component) && component._fileReadStatements.length > 0) {
      this.withFiles.push(component);
      this.readers.forEach((allow) => allow(component));
    }
  }

  public addReader(allow: (component: Component) => void): void {
    this.readers.push(allow);
    this.withFiles.forEach(allow);
  }
}

/**
 * Warns, once the app is complete, about the components of this app in a shared recipe that are
 * not shared themselves: the builds of the accounts the recipe is shared with could not get them
 * (user guide: those accounts need access to the resources a shared resource uses).
 */
export function warnUnsharedComponents(recipe: IConstruct, entries: readonly RecipeComponentEntry[]): void {
  recipe.node.addValidation({
    validate: () => {
      const unshared = entries.map((entry) => entry.component)
        .filter((component) => Component.isComponent(component) && !ResourcePolicy.isShared(component));
      if (unshared.length > 0) {
        Annotations.of(recipe).addWarningV2('cdk-imagebuilder:sharedRecipeComponents',
          `the recipe is shared, but its components ${unshared.map((component) => component.node.path).join(', ')} of this app are not: ` +
          'builds in the accounts it is shared with could not get them; share them too (component.shareWith)');
      }
      return [];
    },
  });
}

/** A recipe needs a component with a build phase, unless some component's document is unknown. */
export function buildComponentProblems(entries: readonly RecipeComponentEntry[]): string[] {
  if (entries.length === 0) {
    return ['components must hold at least one build component, got none; pass components or call addComponent'];
  }
  const summaries = entries.map((e) => documentSummary(e.component));
  const allTestOnly = summaries.every((s) => s !== undefined && !s.phases.some((p) => p === 'build' || p === 'validate'));
  return allTestOnly ? [`components must hold at least one build component, got only test components (${entries.length})`] : [];
}

/** A recipe's components as it shows them: a copy, in order, so that changing the list changes nothing. */
export function listRecipeComponents(entries: readonly RecipeComponentEntry[]): RecipeComponent[] {
  return entries.map(({ component, parameters }) => ({ component, parameters }));
}

/**
 * A digest of a recipe resource's properties as the template will hold them, with tags added by
 * `Tags.of` and property overrides: any change of them gives the recipe a new version.
 */
export function recipeBuildFingerprint(resource: CfnResource): string {
  return Lazy.string({
    produce: () => {
      const rendered = Stack.of(resource).resolve(resource._toCloudFormation()) as { Resources: { [id: string]: { Properties?: unknown } } };
      return fingerprint(Object.values(rendered.Resources).map((r) => r.Properties));
    },
  });
}

export function renderRecipeComponents(entries: readonly RecipeComponentEntry[]): CfnImageRecipe.ComponentConfigurationProperty[] {
  return entries.map(({ component, parameters }) => ({
    componentArn: component.componentArn,
    parameters: parameters && Object.keys(parameters).length > 0
      ? Object.entries(parameters).map(([name, value]) => ({ name, value: [value] }))
      : undefined,
  }));
}

function documentSummary(component: IComponent): DocumentSummary | undefined {
  if (!Component.isComponent(component) || component.documentText === undefined) {
    return undefined;
  }
  return summaryOf(component, component.documentText);
}

function componentLabel(component: IComponent): string {
  return Token.isUnresolved(component.componentName) ? `component ${component.node.path}` : `component '${component.componentName}'`;
}
