import type { IImage } from '../image';
import { Platform } from '../platform';

/**
 * The platforms of container images, which a container recipe's `PlatformOverride` takes
 * (CloudFormation reference, `AWS::ImageBuilder::ContainerRecipe`).
 */
export const CONTAINER_PLATFORMS = [Platform.LINUX, Platform.WINDOWS];

/** Whether an image of this app is a container image; `undefined` for imports, whose kind is not known. */
export function isContainerImage(image: IImage): boolean | undefined {
  return (image as { readonly _isContainerImage?: boolean })._isContainerImage;
}
