/** POST /services/oauth2/token for the client-credentials and JWT-bearer grants, answered like Salesforce. */
import { createHmac } from 'node:crypto';
import type { Router } from '../shared/router';
import { formBody, type SandboxResponse } from '../shared/sandbox-http';
import { verifyJwtAssertion, type JwtApp } from './jwt-assertion';
import { oauthError } from './salesforce-errors';
import type { TokenRegistry } from './token-registry';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface OAuthApp extends JwtApp {
  readonly consumerSecret?: string;
  /** The user client-credentials tokens run as; without one that grant is refused. */
  readonly runAsUsername?: string;
}

export interface OAuthDeps {
  readonly apps: readonly OAuthApp[];
  readonly tokens: TokenRegistry;
  readonly clock: () => number;
  readonly orgId: string;
  readonly userId: (username: string) => string;
  /** Resolved per request because the sandbox URL exists only once it listens. */
  readonly instanceUrl: () => string;
  readonly audiences: () => readonly string[];
}

export function addOAuthRoutes(router: Router, deps: OAuthDeps): void {
  const grant = (app: OAuthApp, username: string): SandboxResponse => {
    const { accessToken, issuedAt } = deps.tokens.issue(username);
    const instanceUrl = deps.instanceUrl();
    const id = `${instanceUrl}/id/${deps.orgId}/${deps.userId(username)}`;
    const issued = String(issuedAt);
    // Salesforce signs id + issued_at with the consumer secret so clients can check the response.
    const signature = createHmac('sha256', app.consumerSecret ?? app.consumerKey)
      .update(id + issued)
      .digest('base64');
    return {
      status: 200,
      body: {
        access_token: accessToken,
        signature,
        scope: 'api',
        instance_url: instanceUrl,
        id,
        token_type: 'Bearer',
        issued_at: issued,
      },
    };
  };

  router.on('POST', '/services/oauth2/token', (request) => {
    const form = formBody(request);
    const grantType = form.get('grant_type');
    if (grantType === 'client_credentials') {
      const app = deps.apps.find((candidate) => candidate.consumerKey === form.get('client_id'));
      if (!app) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
      if (app.consumerSecret === undefined || app.consumerSecret !== form.get('client_secret')) {
        return oauthError(400, 'invalid_client', 'invalid client credentials');
      }
      if (app.runAsUsername === undefined)
        return oauthError(400, 'invalid_grant', 'no client credentials user enabled');
      return grant(app, app.runAsUsername);
    }
    if (grantType === JWT_BEARER_GRANT) {
      const checked = verifyJwtAssertion(
        form.get('assertion') ?? '',
        deps.apps,
        deps.audiences(),
        deps.clock(),
      );
      if (!checked.ok) return oauthError(400, checked.error, checked.description);
      const app = deps.apps.find((candidate) => candidate.consumerKey === checked.claims.iss);
      return app
        ? grant(app, checked.claims.sub)
        : oauthError(400, 'invalid_client_id', 'client identifier invalid');
    }
    return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
  });
}
