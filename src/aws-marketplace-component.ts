import { Construct } from 'constructs';
import { IComponent } from './component';
import { Platform } from './platform';
import { validationError } from './private/errors';
import { importOwnedComponent, validateOwnedComponentName } from './private/owned-components';
import { isMarketplaceProductId } from './private/validation';

/** The owner field of Marketplace component ARNs. */
const MARKETPLACE_OWNER = 'aws-marketplace';

/**
 * An AWS Marketplace component, by its name and product.
 */
export interface AwsMarketplaceComponentAttributes {
  /**
   * The component's name as the product publishes it, without the product ID.
   */
  readonly componentName: string;

  /**
   * The AWS Marketplace product the component belongs to, e.g. `prod-abcdefghijklm`.
   */
  readonly marketplaceProductId: string;

  /**
   * The version, with trailing `x` wildcards allowed (`1.x.x`).
   *
   * @default x.x.x (the latest version)
   */
  readonly componentVersion?: string;

  /**
   * The platform the component runs on, so that recipes can check it.
   *
   * @default - unknown
   */
  readonly platform?: Platform;
}

/**
 * Components sold in AWS Marketplace (`arn:<partition>:imagebuilder:<region>:aws-marketplace:component/<name>-<product ID>/<version>`),
 * in the stack's partition and region. The account needs a subscription to the product.
 *
 * @see https://docs.aws.amazon.com/imagebuilder/latest/userguide/integrate-products-services.html
 */
export class AwsMarketplaceComponent {
  /**
   * Imports a Marketplace component for recipes.
   *
   * @param scope the scope of the import
   * @param id the id of the import
   * @param attrs the component's name, product, version and platform
   */
  public static fromAwsMarketplaceComponentAttributes(scope: Construct, id: string, attrs: AwsMarketplaceComponentAttributes): IComponent {
    validateOwnedComponentName(scope, attrs.componentName, 'a Marketplace');
    if (!isMarketplaceProductId(attrs.marketplaceProductId)) {
      throw validationError(`marketplaceProductId must be 'prod-' and lowercase letters or digits, got '${attrs.marketplaceProductId}'`, scope);
    }
    return importOwnedComponent(scope, id, MARKETPLACE_OWNER, `${attrs.componentName}-${attrs.marketplaceProductId}`, attrs);
  }

  private constructor() {}
}
