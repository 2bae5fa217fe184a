/**
 * Synthesizes the example apps to CloudFormation (no AWS account needed) and prints where each
 * template was written and what it holds.
 *
 * Usage: ts-node scripts/synth-example.ts [outdir]
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildApp as containerImage } from '../examples/container-image/app';
import { buildApp as firstComponent } from '../examples/first-component/app';
import { buildApp as goldenAmi } from '../examples/golden-ami/app';
import { buildApp as imageFactory } from '../examples/image-factory/app';
import { buildApp as sharedComponent } from '../examples/shared-component/app';
import { buildApp as startOnDeploy } from '../examples/start-on-deploy/app';

/** The golden AMI first: it is the one the README's main command is about. */
const EXAMPLES: Array<[string, (outdir: string) => App]> = [
  ['golden-ami', goldenAmi],
  ['container-image', containerImage],
  ['shared-component', sharedComponent],
  ['start-on-deploy', startOnDeploy],
  ['first-component', firstComponent],
  ['image-factory', imageFactory],
];

const root = path.resolve(process.argv[2] ?? 'cdk.out/example');
for (const [name, build] of EXAMPLES) {
  const assembly = build(path.join(root, name)).synth();
  for (const stack of assembly.stacks) {
    const templatePath = path.join(assembly.directory, stack.templateFile);
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
    const counts = new Map<string, number>();
    for (const resource of Object.values<any>(template.Resources ?? {})) {
      counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
    }

    console.log(`examples/${name}: stack ${stack.stackName}, template written to ${templatePath}`);
    for (const [type, count] of [...counts.entries()].sort()) {
      console.log(`  ${String(count).padStart(3)}  ${type}`);
    }
  }
}
