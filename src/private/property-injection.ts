import { PropertyInjectors } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * `props` as the property injector registered for `uniqueId` returns them, from the nearest scope
 * with one, or as they are. This is what aws-cdk-lib's own constructs do before they use their
 * props, with its public API: an app may then set defaults for every construct of a class.
 */
export function injectProps<T>(uniqueId: string, scope: Construct, id: string, props: T): T {
  for (let node: IConstruct | undefined = scope; node !== undefined; node = node.node.scope) {
    // `PropertyInjectors.of` would attach an empty set to every scope it is asked about.
    const injector = PropertyInjectors.hasPropertyInjectors(node) ? PropertyInjectors.of(node).for(uniqueId) : undefined;
    if (injector) {
      return injector.inject(props, { scope, id });
    }
  }
  return props;
}
