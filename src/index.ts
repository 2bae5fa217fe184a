export * from './platform';
export * from './component-data';
export * from './component';
export * from './aws-managed-component';
export * from './component-document';
export * from './parent-image';
export * from './image-recipe';
