import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { expectValidTemplate } from './helpers/cfn-validate';
import { expectNoNagErrors } from './helpers/nag';
import { buildApp } from '../examples/first-component/app';

describe('examples/first-component', () => {
  let outdir: string;

  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
  });

  afterEach(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('synthesizes two components and a recipe, and passes cdk-nag', () => {
    const app = buildApp(outdir);
    expectNoNagErrors(app);

    const stack = app.node.findChild('FirstComponent') as any;
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ImageBuilder::Component', 2);
    template.resourceCountIs('AWS::ImageBuilder::ImageRecipe', 1);
    template.hasOutput('UpdateOsComponentArn', {});
  });

  test('passes AWS CloudFormation Validate', () => {
    const app = buildApp(outdir);
    expectValidTemplate(app.node.findChild('FirstComponent') as any);
  });
});
