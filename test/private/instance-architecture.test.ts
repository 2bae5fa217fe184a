import { ImageArchitecture } from '../../src';
import { instanceArchitecture } from '../../src/private/instance-architecture';

describe('instanceArchitecture', () => {
  test.each([
    // Graviton: a g among the capability letters.
    ['m7g.large', ImageArchitecture.ARM64],
    ['c7gn.xlarge', ImageArchitecture.ARM64],
    ['r8gd.metal', ImageArchitecture.ARM64],
    ['t4g.micro', ImageArchitecture.ARM64],
    ['im4gn.large', ImageArchitecture.ARM64],
    ['is4gen.medium', ImageArchitecture.ARM64],
    ['g5g.xlarge', ImageArchitecture.ARM64],
    ['hpc7g.4xlarge', ImageArchitecture.ARM64],
    ['a1.large', ImageArchitecture.ARM64],
    // EC2 Mac: Intel in mac1, Apple silicon after.
    ['mac1.metal', ImageArchitecture.X86_64],
    ['mac2.metal', ImageArchitecture.ARM64],
    ['mac2-m2pro.metal', ImageArchitecture.ARM64],
    // Everything else, including GPU families whose name starts with g.
    ['m5.large', ImageArchitecture.X86_64],
    ['c7i-flex.large', ImageArchitecture.X86_64],
    ['g4dn.xlarge', ImageArchitecture.X86_64],
    ['g4ad.xlarge', ImageArchitecture.X86_64],
    ['hpc7a.96xlarge', ImageArchitecture.X86_64],
    ['gr6.4xlarge', ImageArchitecture.X86_64],
    ['x2iedn.xlarge', ImageArchitecture.X86_64],
    ['u7i-12tb.224xlarge', ImageArchitecture.X86_64],
  ])('%s is %s', (instanceType, architecture) => {
    expect(instanceArchitecture(instanceType)).toBe(architecture);
  });

  test.each(['u-6tb1.metal', '${Token[TOKEN.1]}'])('%s is not told by its name', (instanceType) => {
    expect(instanceArchitecture(instanceType)).toBeUndefined();
  });
});
