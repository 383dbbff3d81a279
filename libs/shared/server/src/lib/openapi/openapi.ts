import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

import { addPlainRoutesToDocument, type PlainRoute } from '../routes/plain-route';

/** Serves the service's OpenAPI document at /docs/json and its browsable form at /docs. */
export function setupOpenApi(
  app: INestApplication,
  title: string,
  description: string,
  plainRoutes: readonly PlainRoute[] = [],
): void {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(description)
    .setVersion('v1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  addPlainRoutesToDocument(document, plainRoutes);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/json',
    yamlDocumentUrl: 'docs/yaml',
  });
}
