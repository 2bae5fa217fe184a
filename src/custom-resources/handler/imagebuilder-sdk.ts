/*
 * The Image Builder client, for the handler's modules to import from here: the bundle then
 * requires it once, not once per module, which keeps the asset under its size target.
 */
export * from '@aws-sdk/client-imagebuilder';
