/** The environment variable that names the test run's temporary folder (see temp-folder-setup.ts). */
export const TEST_RUN_TEMP_FOLDER = 'CDK_IMAGEBUILDER_TEST_TMPDIR';
