// @hey-api/openapi-ts: the TypeScript client the contract tests generate from openapi.yaml into src/client/.
export default {
  input: '../../../openapi.yaml',
  output: 'src/client',
  plugins: ['@hey-api/typescript', '@hey-api/sdk', '@hey-api/client-fetch'],
};
