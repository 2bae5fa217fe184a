/**
 * Jest global setup: every temporary file of the test run goes into one folder of its own.
 * aws-cdk-lib makes a `cdk.out…` folder in the system temporary folder for each App synthesized
 * without an outdir, and tests make fixture files there; none of them is removed. Pointing TMPDIR
 * (which `os.tmpdir()` reads on each call) at a folder of the run lets the teardown remove them all.
 * The test workers start after this and inherit the variable.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TEST_RUN_TEMP_FOLDER } from './temp-folder';

export default function setUpTempFolder(): void {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-imagebuilder-test-'));
  process.env[TEST_RUN_TEMP_FOLDER] = folder;
  process.env.TMPDIR = folder;
}
