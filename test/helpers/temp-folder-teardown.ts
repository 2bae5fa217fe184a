/** Jest global teardown: removes the run's temporary folder made by temp-folder-setup.ts. */
import * as fs from 'fs';
import { TEST_RUN_TEMP_FOLDER } from './temp-folder';

export default function removeTempFolder(): void {
  const folder = process.env[TEST_RUN_TEMP_FOLDER];
  if (folder) {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
