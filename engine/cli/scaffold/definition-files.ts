import type { ScaffoldModel } from './scaffold-model';

/**
 * The definition files of a new integration: valid as written (they pass `unimap validate --strict` with the
 * fixtures written beside them), with every method stubbed and a TODO where the provider's facts go.
 */
export function renderIntegrationFile(model: ScaffoldModel): string {
  return `# yaml-language-server: $schema=../../schemas/integration.schema.json
# ${model.label}: how to reach and authenticate against the provider. Guide: docs/add-an-integration.md
unimap: 1
name: ${model.name}
label: ${model.label}
description: TODO what this integration covers (API, version) and any caveat.
# docs_url: https://… the provider's API reference this mapping follows
# spec: provider-spec.json    # the provider's OpenAPI file, relative to this folder: validate checks body keys against it
base_url: https://api.example.com   # TODO the API root; a value from the account context: "https://{{ $context.subdomain }}.example.com"
context:                            # what an integrated account holds
  api_token:
    required: true
    secret: true                    # seen by auth templates only; scrubbed from every message
    description: TODO where a user finds the token
auth:
  type: header
  headers:
    Authorization: "Bearer {{ $context.api_token }}"
headers:
  Accept: application/json
pagination:                         # TODO how lists page: link_header, next_url, cursor, offset, page or none
  type: page
  page_param: page
  start: 1
  limit_param: per_page
  default_limit: 50
  max_limit: 100
  stop:
    short_page: true                # a page shorter than asked for is the last one
# The provider's error body → { message, code }; input: the error body, with $status and $headers.
error: |
  { "message": error.message, "code": error.code }
`;
}

export function renderResourceFile(model: ScaffoldModel): string {
  const item = `${model.path}/{{ $params.id }}`;
  return `# yaml-language-server: $schema=../../../schemas/resource.schema.json
# ${model.label} ${model.category}/${model.resource}: one block per unified method. Guide: docs/add-an-integration.md
# Each stub maps only the id; fill in the TODOs, then run
#   npx unimap validate --integration ${model.name} --strict   and   npx unimap test --integration ${model.name} --update
unimap: 1
description: TODO what a ${model.resource.replace(/s$/, '')} is at ${model.label}.

list:
  request: { method: GET, path: ${model.path} }
  records: data                     # TODO where the array of records sits in a page (\`$\` for a bare array)
  filters: []                       # unified filters the query mapping applies (schemas/unified/…: list_query)
  # TODO the remote record → the unified record; input: one remote record
  response: &record |
    {
      "id": $str(id)
    }
  response_supported: [id]          # TODO every unified field the response fills

get:
  request: { method: GET, path: "${item}" }
  response: *record
  response_supported: [id]

create:
  request: { method: POST, path: ${model.path} }
  # TODO the unified body → the remote body; input: the unified body
  body: |
    {}
  response: *record
  required: []                      # TODO unified fields the provider requires (also listed in supported)
  supported: []                     # TODO unified fields the body mapping writes
  response_supported: [id]

update:
  request: { method: PATCH, path: "${item}" }
  body: |
    {}
  response: *record
  supported: []
  response_supported: [id]

delete:
  request: { method: DELETE, path: "${item}" }
`;
}
