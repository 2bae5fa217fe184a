/**
 * Synthesizes the example app to CloudFormation (no AWS account needed) and prints where each
 * template was written and what it holds.
 *
 * Usage: ts-node scripts/synth-example.ts [outdir]
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from '../examples/first-component/app';

const outdir = path.resolve(process.argv[2] ?? 'cdk.out/example');
const assembly = buildApp(outdir).synth();

for (const stack of assembly.stacks) {
  const templatePath = path.join(assembly.directory, stack.templateFile);
  const template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
  const counts = new Map<string, number>();
  for (const resource of Object.values<any>(template.Resources ?? {})) {
    counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
  }

  console.log(`Stack ${stack.stackName}: template written to ${templatePath}`);
  for (const [type, count] of [...counts.entries()].sort()) {
    console.log(`  ${String(count).padStart(3)}  ${type}`);
  }
  for (const [name, output] of Object.entries<any>(template.Outputs ?? {})) {
    console.log(`  output ${name}: ${JSON.stringify(output.Value)}`);
  }
}
