import { Token } from 'aws-cdk-lib';
import { ImageArchitecture } from '../parent-image';

/**
 * `<family><generation><capabilities>.<size>`, e.g. `c7gn.large` or `u7i-12tb.224xlarge`: the
 * capability letters tell Graviton (`g`) apart.
 */
const INSTANCE_TYPE_PARTS = /^([a-z]+)(\d+)([a-z0-9-]*)\.[a-z0-9-]+$/;

/**
 * The CPU architecture of an EC2 instance type, by the naming AWS follows: Graviton types have a
 * `g` among their capability letters (`m7g`, `c7gn`, `im4gn`) and A1 is Arm; EC2 Mac is Intel in
 * `mac1` and Apple silicon after it; every other type is x86_64. Undefined when the name does not
 * follow the pattern (a token, `u-6tb1.metal`), so nothing is checked against it.
 */
export function instanceArchitecture(instanceType: string): ImageArchitecture | undefined {
  const parts = Token.isUnresolved(instanceType) ? null : INSTANCE_TYPE_PARTS.exec(instanceType);
  if (!parts) {
    return undefined;
  }
  const [, family, generation, capabilities] = parts;
  if (family === 'mac') {
    return generation === '1' ? ImageArchitecture.X86_64 : ImageArchitecture.ARM64;
  }
  return family === 'a' || capabilities.includes('g') ? ImageArchitecture.ARM64 : ImageArchitecture.X86_64;
}
