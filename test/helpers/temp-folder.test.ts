import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { TEST_RUN_TEMP_FOLDER } from './temp-folder';

describe('the test run temporary folder', () => {
  test('temporary files of a test go into the folder of the run, which the global teardown removes', () => {
    const folder = process.env[TEST_RUN_TEMP_FOLDER];
    expect(folder).toBeDefined();
    expect(path.basename(folder!)).toMatch(/^cdk-imagebuilder-test-/);
    expect(fs.statSync(folder!).isDirectory()).toBe(true);
    expect(os.tmpdir()).toBe(folder);
  });

  test('an App synthesized without an outdir writes its assembly there', () => {
    const app = new App();
    new Stack(app, 'Stack');
    const assembly = app.synth();
    expect(path.dirname(assembly.directory)).toBe(process.env[TEST_RUN_TEMP_FOLDER]);
  });
});
