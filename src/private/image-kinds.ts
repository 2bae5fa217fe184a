import type { IImage } from '../image';

/** Whether an image of this app is a container image; `undefined` for imports, whose kind is not known. */
export function isContainerImage(image: IImage): boolean | undefined {
  return (image as { readonly _isContainerImage?: boolean })._isContainerImage;
}
