// What other modules may use of `openapi`; everything else in the folder is its own.
export { createOpenApiDocument } from './openapi-document';
