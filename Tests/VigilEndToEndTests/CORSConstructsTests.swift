import Foundation
import Testing
import VigilTestSupport

/// CORS policies that allow every origin, written the ways frameworks spell them, each
/// found once; and the places where the same words are no policy.
@Suite struct CORSConstructsTests {
  private func corsFindings(in tree: TemporaryTree) throws -> [String: [String]] {
    try VigilBinary.rulesByPath(scanning: tree.path, category: "cors")
  }

  @Test func everyFrameworksWildcardIsFoundOnce() throws {
    let tree = try TemporaryTree()
    try tree.write("api/src/main.ts", "const app = await NestFactory.create(AppModule);\napp.enableCors();\n")
    try tree.write(
      "gateway/src/bootstrap.ts",
      "export const app = await NestFactory.create(ApiModule, {\n  cors: true,\n});\n")
    try tree.write(
      "web/src/Controller/FeedController.php",
      "<?php\nreturn new JsonResponse($items, 200, ['Access-Control-Allow-Origin' => '*']);\n")
    try tree.write(
      "web/src/EventListener/Cors.php",
      "<?php\n$event->getResponse()->headers->set('Access-Control-Allow-Origin', '*');\n")
    try tree.write(
      "svc/src/main/java/app/Headers.java",
      "class Headers {\n  void apply(HttpServletResponse response) {\n    response.setHeader(\"Access-Control-Allow-Origin\", \"*\");\n  }\n}\n"
    )
    try tree.write(
      "svc/src/main/java/app/CorsSetup.java",
      "CorsConfiguration config = new CorsConfiguration();\nconfig.addAllowedOrigin(\"*\");\n")
    try tree.write(
      "Api/Program.cs",
      "builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.SetIsOriginAllowed(_ => true)));\n")
    try tree.write(
      "py/app/main.py",
      "app.add_middleware(\n    CORSMiddleware,\n    allow_origins=[\n        \"*\",\n    ],\n)\n")
    try tree.write(
      "deploy/ingress.yaml",
      "metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/cors-allow-origin: \"*\"\n")
    try tree.write(
      "infra/api.tf",
      "resource \"aws_apigatewayv2_api\" \"x\" {\n  cors_configuration {\n    allow_origins = [\"*\"]\n  }\n}\n"
    )
    try tree.write(
      "proxy/site.conf",
      "location /api/ {\n  add_header Access-Control-Allow-Origin $http_origin always;\n}\n")
    try tree.write(
      "routes/cors.js",
      "const origin = req.headers.origin;\nres.set('access-control-allow-origin', origin);\n"
        + "res.set('access-control-allow-credentials', 'true');\n")
    let found = try corsFindings(in: tree)
    let expected: [String: String] = [
      "routes/cors.js": "cors-origin-reflected-variable",
      "api/src/main.ts": "cors-any-origin-nestjs",
      "gateway/src/bootstrap.ts": "cors-any-origin-nestjs",
      "web/src/Controller/FeedController.php": "cors-header-wildcard",
      "web/src/EventListener/Cors.php": "cors-header-wildcard",
      "svc/src/main/java/app/Headers.java": "cors-header-wildcard",
      "svc/src/main/java/app/CorsSetup.java": "cors-any-origin-spring",
      "Api/Program.cs": "cors-any-origin-aspnet",
      "py/app/main.py": "cors-any-origin-fastapi",
      "deploy/ingress.yaml": "cors-any-origin-kubernetes-ingress",
      "infra/api.tf": "cors-any-origin-terraform",
      "proxy/site.conf": "cors-origin-reflected",
    ]
    for (path, rule) in expected {
      #expect(found[path] == [rule], "\(path): \(found[path] ?? [])")
    }
    #expect(found.count == expected.count, "\(found)")
  }

  /// The same words in a comment, in test code, or as Terraform text inside a Go
  /// string, set no policy.
  @Test func commentsTestsAndOtherLanguagesStrings() throws {
    let tree = try TemporaryTree()
    try tree.write(
      "api/src/main.ts", "// app.enableCors();\nconst app = await NestFactory.create(AppModule);\n")
    try tree.write(
      "py/app/main.py", "# allow_origins=[\"*\"] was too open\nallow_origins = settings.origins\n")
    try tree.write("deploy/site.conf", "# add_header Access-Control-Allow-Origin *;\n")
    try tree.write("api/test/cors.spec.ts", "app.enableCors();\n")
    try tree.write(
      "routes/checked.js",
      "const origin = allowed.includes(req.headers.origin) ? req.headers.origin : SITE;\n"
        + "res.set('access-control-allow-origin', origin);\n")
    try tree.write("internal/plan.go", "const plan = `allow_origins = [\"*\"]`\n")
    #expect(try corsFindings(in: tree).isEmpty)
  }
}
