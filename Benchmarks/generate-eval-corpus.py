#!/usr/bin/env python3
"""Writes a labelled corpus for measuring vigil's precision and recall per category:
true positives and hard negatives for every category, in many languages, each in a
small file of its own with random filler around it. labels.json lists where every
finding belongs; `vigil eval DIR` scores a scan against it.

    python3 Benchmarks/generate-eval-corpus.py OUT_DIR [--per-template N] [--seed S]

The templates are written as realistic code, independently of vigil's regexes; a
line marked with @@ in a template is where a finding belongs.
"""
import argparse, json, os, random, string, zlib

AN = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class Gen:
    def __init__(self, rng):
        self.r = rng

    def s(self, n, alpha=AN):
        return "".join(self.r.choice(alpha) for _ in range(n))

    def crc(self, prefix):
        body = self.s(30)
        n = zlib.crc32(body.encode())
        d = ""
        while n:
            d = B62[n % 62] + d
            n //= 62
        return prefix + body + d.rjust(6, "0")

    def ident(self):
        return self.r.choice(["user", "order", "item", "account", "report", "session", "invoice", "profile"]) + self.r.choice(["", "_id", "Name", "_ref"])

    def password(self):
        # A strong random password: letters, digits, a symbol.
        return self.s(6) + self.r.choice("!#%+=") + self.s(5, string.digits + string.ascii_uppercase) + self.s(4)

    def token(self):
        kind = self.r.randrange(12)
        return [
            lambda: self.crc("ghp_"),
            lambda: "AKIA" + self.s(16, string.ascii_uppercase + "234567"),
            lambda: "sk_live_" + self.s(24),
            lambda: "xoxb-%s-%s-%s" % (self.s(11, string.digits), self.s(12, string.digits), self.s(24)),
            lambda: "SG.%s.%s" % (self.s(22, AN + "_-"), self.s(43, AN + "_-")),
            lambda: "sk-proj-%sT3BlbkFJ%s" % (self.s(40, AN + "_-"), self.s(40, AN + "_-")),
            lambda: "sk-ant-api03-%sAA" % self.s(93, AN + "_-"),
            lambda: "glpat-" + self.s(20, AN + "_-"),
            lambda: self.crc("npm_"),
            lambda: "AIza" + self.s(35, AN + "_-"),
            lambda: "dop_v1_" + self.s(64, HEX),
            lambda: "hf_" + self.s(34, string.ascii_letters),
        ][kind]()


# Each template: (category or None for a hard negative, file name pattern, text).
def templates(g):
    T = []
    name = lambda: g.r.choice(["API_KEY", "SERVICE_TOKEN", "AUTH_TOKEN", "SECRET_KEY", "ACCESS_KEY"])
    # ---- secret: provider tokens in many languages
    T += [
        ("secret", "config_{n}.py", lambda: "import os\n\n@@%s = \"%s\"\nTIMEOUT = 30\n" % (name(), g.token())),
        ("secret", "client_{n}.js", lambda: "const axios = require('axios');\n@@const token = '%s';\nmodule.exports = { token };\n" % g.token()),
        ("secret", "main_{n}.go", lambda: "package main\n\nfunc main() {\n@@\tkey := \"%s\"\n\t_ = key\n}\n" % g.token()),
        ("secret", "values_{n}.yaml", lambda: "service:\n  name: api\n@@  apiKey: %s\n  replicas: 2\n" % g.token()),
        ("secret", "settings_{n}.json", lambda: "{\n  \"name\": \"svc\",\n@@  \"token\": \"%s\"\n}\n" % g.token()),
        ("secret", "deploy_{n}.sh", lambda: "#!/bin/sh\nset -e\n@@export DEPLOY_TOKEN=%s\n./deploy\n" % g.token()),
        ("secret", "Dockerfile.{n}", lambda: "FROM alpine:3.20\n@@ENV SERVICE_TOKEN=%s\nCMD [\"/app\"]\n" % g.token()),
        ("secret", "app_{n}.properties", lambda: "server.port=8080\n@@service.api.key=%s\n" % g.token()),
        ("secret", "Config{n}.java", lambda: "class Config {\n@@    static final String TOKEN = \"%s\";\n}\n" % g.token()),
        ("secret", "Keys{n}.cs", lambda: "class Keys {\n@@    public const string ApiToken = \"%s\";\n}\n" % g.token()),
        ("secret", "keys_{n}.rs", lambda: "pub struct Keys;\n@@const TOKEN: &str = \"%s\";\n" % g.token()),
        ("secret", "Keys{n}.swift", lambda: "enum Keys {\n@@    static let token = \"%s\"\n}\n" % g.token()),
        ("secret", "keys_{n}.php", lambda: "<?php\n@@$token = '%s';\n" % g.token()),
        ("secret", "keys_{n}.rb", lambda: "module Keys\n@@  TOKEN = '%s'.freeze\nend\n" % g.token()),
        ("secret", "Keys{n}.kt", lambda: "object Keys {\n@@    const val TOKEN = \"%s\"\n}\n" % g.token()),
        ("secret", "main_{n}.tf", lambda: "provider \"example\" {\n@@  token = \"%s\"\n}\n" % g.token()),
        # generic credentials and URLs
        ("secret", "db_{n}.py", lambda: "@@DB_PASSWORD = \"%s\"\nDB_HOST = \"db.internal\"\n" % g.password()),
        ("secret", "db_{n}.ts", lambda: "export const config = {\n  host: 'db',\n@@  password: '%s',\n};\n" % g.password()),
        ("secret", "app_{n}.env.sh", lambda: "@@export DATABASE_URL=postgres://app:%s@db.internal:5432/app\n" % g.s(18)),
        ("secret", "settings_{n}.yml", lambda: "database:\n  user: app\n@@  password: %s\n" % g.password()),
        ("secret", "Repo{n}.java", lambda: "class Repo {\n@@  private String dbPassword = \"%s\";\n}\n" % g.password()),
        ("secret", "web_{n}.config", lambda: "<configuration>\n@@  <add key=\"ApiKey\" value=\"%s\" />\n</configuration>\n" % (g.s(10) + g.s(6, string.digits))),
        ("secret", "conn_{n}.cs", lambda: "class Db {\n@@  const string Conn = \"Server=tcp:sql.example.net;Database=app;User ID=app;Password=%s;\";\n}\n" % g.s(16)),
        ("secret", "jdbc_{n}.properties", lambda: "@@spring.datasource.url=jdbc:mysql://db:3306/app?user=app&password=%s\n" % g.s(14)),
    ]
    # ---- secret: hard negatives
    T += [
        (None, "env_{n}.py", lambda: "import os\nAPI_KEY = os.environ[\"API_KEY\"]\nDB_PASSWORD = os.getenv('DB_PASSWORD')\n"),
        (None, "env_{n}.js", lambda: "const token = process.env.SERVICE_TOKEN;\nconst apiKey = process.env['API_KEY'] || '';\n"),
        (None, "env_{n}.go", lambda: "package x\n\nvar token = os.Getenv(\"SERVICE_TOKEN\")\n"),
        (None, "placeholders_{n}.yaml", lambda: "api_key: YOUR_API_KEY\npassword: changeme\ntoken: \"{{ .Values.token }}\"\nsecret: ${SECRET}\nclient_secret: <client-secret>\n"),
        (None, "example_{n}.py", lambda: "AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"\nAWS_SECRET_ACCESS_KEY = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n"),
        (None, "lock_{n}.json", lambda: "{\n  \"node_modules/x\": {\n    \"integrity\": \"sha512-%s==\",\n    \"resolved\": \"https://registry.npmjs.org/x/-/x-1.0.0.tgz\"\n  }\n}\n" % g.s(86, AN + "+/")),
        (None, "ids_{n}.py", lambda: "COMMIT = \"%s\"\nsession_token = \"%s-%s-%s-%s-%s\"\nrequest_id = \"%s\"\n" % (g.s(40, HEX), g.s(8, HEX), g.s(4, HEX), g.s(4, HEX), g.s(4, HEX), g.s(12, HEX), g.s(32, HEX))),
        (None, "public_{n}.js", lambda: "const stripe = Stripe('pk_live_%s');\nconst mapbox = 'pk.eyJ%s.%s';\n" % (g.s(24), g.s(40), g.s(22))),
        (None, "authorized_{n}.txt", lambda: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s user@host\n" % g.s(43)),
        (None, "fake_{n}.py", lambda: "token = \"ghp_%s\"  # wrong checksum\n" % g.s(36)),
        (None, "lowentropy_{n}.sh", lambda: "export API_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxx\nPASSWORD=aaaaaaaaaaaa\n"),
        (None, "paging_{n}.json", lambda: "{\n  \"NextToken\": \"NextPageToken\",\n  \"output_token\": \"Marker\",\n  \"token_type\": \"bearer\"\n}\n"),
        (None, "names_{n}.py", lambda: "ENV_VAR_AUTH_TOKEN = 'AWS_SESSION_TOKEN'\nsecret_name = \"prod-database-credentials\"\npassword_file = \"/run/secrets/db_password\"\n"),
        (None, "docs_{n}.py", lambda: "def connect(password):\n    \"\"\"Pass the password from the vault, never a literal.\"\"\"\n    return Client(password=password)\n"),
    ]
    # ---- secret-file
    key_body = lambda: "\n".join(g.s(64, AN + "+/") for _ in range(6))
    T += [
        # A .env is a finding when it assigns a credential, at that line.
        ("secret-file", "svc{n}/.env", lambda: "DEBUG=false\nPORT=8080\n@@SESSION_SECRET=%s\n" % g.s(24)),
        ("secret-file", "svc{n}/.env.production", lambda: "LOG_LEVEL=info\n@@STRIPE_API_KEY=%s\n" % g.s(28)),
        ("secret-file", "svc{n}/prod.env", lambda: "REGION=eu-west-1\n@@export DB_PASSWORD='%s'\n" % g.s(16)),
        (None, "svc{n}/.env.local", lambda: "PORT=8080\nDEBUG=true\nAPI_TOKEN=changeme\n"),
        ("secret-file", "keys{n}/id_rsa", lambda: "@@-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n" % key_body()),
        ("secret-file", "tls{n}/server.pem", lambda: "@@-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n" % key_body()),
        ("secret-file", "certs{n}/client.p12", lambda: "@@" + g.s(64)),
        ("secret-file", "pkg{n}/.npmrc", lambda: "registry=https://registry.npmjs.org/\n@@//registry.npmjs.org/:_authToken=%s\n" % g.crc("npm_")),
        ("secret-file", "py{n}/.pypirc", lambda: "[pypi]\nusername = __token__\n@@password = pypi-AgEIcHlwaS5vcmc%s\n" % g.s(60, AN + "_-")),
        ("secret-file", "home{n}/.git-credentials", lambda: "@@https://ci:%s@github.com\n" % g.s(20)),
        ("secret-file", "infra{n}/terraform.tfstate", lambda: "{\"version\": 4, \"resources\": [{\"instances\": [{\"attributes\":\n@@{\"id\": \"db-1\", \"password\": \"%s\"}}]}]}\n" % g.s(20)),
        (None, "infra{n}/empty.tfstate", lambda: "{\"version\": 4, \"resources\": []}\n"),
        ("secret-file", "user{n}/.ssh/deploy_key", lambda: "@@-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n" % key_body()),
        ("secret-file", "k8s{n}/kubeconfig", lambda: "apiVersion: v1\nusers:\n- name: ci\n  user:\n@@    token: %s\n" % g.s(40, AN + "._-")),
        ("secret-file", "ci{n}/.docker/config.json", lambda: "@@{\"auths\": {\"registry.example.com\": {\"auth\": \"%s\"}}}\n" % g.s(24, AN + "+/")),
        ("secret-file", "vault{n}/secrets.env.age", lambda: "@@age-encryption.org/v1\n-> X25519 %s\n" % g.s(43)),
        (None, "svc{n}/.env.example", lambda: "DATABASE_URL=postgres://user:password@localhost/db\nAPI_KEY=changeme\n"),
        (None, "svc{n}/.env.template", lambda: "PORT=8080\n"),
        (None, "keys{n}/id_rsa.pub", lambda: "ssh-rsa AAAAB3NzaC1yc2E%s user@host\n" % g.s(60)),
        (None, "tls{n}/server.crt", lambda: "-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----\n" % key_body()),
        (None, "pkg{n}/.npmrc", lambda: "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"),
        (None, "k8s{n}/kubeconfig", lambda: "apiVersion: v1\nusers:\n- name: ci\n  user:\n    exec:\n      command: aws\n"),
        (None, "user{n}/.ssh/known_hosts", lambda: "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s\n" % g.s(43)),
    ]
    # ---- sql-injection
    col = lambda: g.r.choice(["name", "email", "status", "owner"])
    tbl = lambda: g.r.choice(["users", "orders", "accounts", "sessions"])
    T += [
        ("sql-injection", "q_{n}.py", lambda: "def find(cur, v):\n@@    cur.execute(f\"SELECT * FROM %s WHERE %s = '{v}'\")\n" % (tbl(), col())),
        ("sql-injection", "q_{n}.py", lambda: "def find(cur, v):\n@@    cur.execute(\"SELECT * FROM %s WHERE %s = '%%s'\" %% v)\n" % (tbl(), col())),
        ("sql-injection", "q_{n}.py", lambda: "def find(cur, v):\n@@    q = \"DELETE FROM %s WHERE id = {}\".format(v)\n    cur.execute(q)\n" % tbl()),
        ("sql-injection", "q_{n}.py", lambda: "def find(cur, v):\n@@    cur.execute(\"SELECT * FROM %s WHERE id = \" + v)\n" % tbl()),
        ("sql-injection", "q_{n}.js", lambda: "async function find(db, id) {\n@@  return db.query(`SELECT * FROM %s WHERE id = ${id}`);\n}\n" % tbl()),
        ("sql-injection", "q_{n}.ts", lambda: "export function find(db: Db, v: string) {\n@@  return db.query(\"SELECT * FROM %s WHERE %s = '\" + v + \"'\");\n}\n" % (tbl(), col())),
        ("sql-injection", "q_{n}.go", lambda: "func find(db *sql.DB, v string) {\n@@\tq := fmt.Sprintf(\"SELECT * FROM %s WHERE %s = '%%s'\", v)\n\tdb.Query(q)\n}\n" % (tbl(), col())),
        ("sql-injection", "q_{n}.go", lambda: "func find(db *sql.DB, v string) {\n@@\tdb.Query(\"SELECT * FROM %s WHERE id = \" + v)\n}\n" % tbl()),
        ("sql-injection", "Q{n}.java", lambda: "class Q {\n  void f(Statement s, String v) throws Exception {\n@@    s.executeQuery(\"SELECT * FROM %s WHERE %s = '\" + v + \"'\");\n  }\n}\n" % (tbl(), col())),
        ("sql-injection", "Q{n}.java", lambda: "class Q {\n  void f(Statement s, String v) throws Exception {\n@@    String q = String.format(\"DELETE FROM %s WHERE id = %%s\", v);\n    s.execute(q);\n  }\n}\n" % tbl()),
        ("sql-injection", "Q{n}.kt", lambda: "class Q {\n  fun f(v: String) =\n@@    jdbc.queryForList(\"SELECT * FROM %s WHERE %s = '$v'\")\n}\n" % (tbl(), col())),
        ("sql-injection", "q_{n}.rs", lambda: "fn f(conn: &Connection, v: &str) -> Result<usize> {\n@@    let q = format!(\"SELECT * FROM %s WHERE %s = '{}'\", v);\n    conn.execute(&q, [])\n}\n" % (tbl(), col())),
        ("sql-injection", "Q{n}.swift", lambda: "func f(db: Database, v: String) throws {\n@@    try db.execute(sql: \"DELETE FROM %s WHERE %s = '\\(v)'\")\n}\n" % (tbl(), col())),
        ("sql-injection", "q_{n}.php", lambda: "<?php\nfunction f($db, $v) {\n@@    return $db->query(\"SELECT * FROM %s WHERE id = $v\");\n}\n" % tbl()),
        ("sql-injection", "q_{n}.php", lambda: "<?php\nfunction f($db, $v) {\n@@    return $db->query(\"SELECT * FROM %s WHERE id = \" . $v);\n}\n" % tbl()),
        ("sql-injection", "Q{n}.cs", lambda: "class Q {\n  void F(string v) {\n@@    var cmd = new SqlCommand($\"SELECT * FROM %s WHERE %s = '{v}'\", conn);\n  }\n}\n" % (tbl(), col())),
        ("sql-injection", "Q{n}.cs", lambda: "class Q {\n  void F(SqlConnection conn, string v) {\n@@    var q = string.Format(\"DELETE FROM %s WHERE Id = {0}\", v);\n    new SqlCommand(q, conn).ExecuteNonQuery();\n  }\n}\n" % tbl()),
        ("sql-injection", "q_{n}.rb", lambda: "def f(v)\n@@  User.find_by_sql(\"SELECT * FROM %s WHERE %s = '#{v}'\")\nend\n" % (tbl(), col())),
        (None, "p_{n}.py", lambda: "def find(cur, v):\n    cur.execute(\"SELECT * FROM %s WHERE %s = %%s\", (v,)); total = a + b\n    print(f\"selected {len(rows)} rows from the table\")\n" % (tbl(), col())),
        (None, "p_{n}.js", lambda: "async function f(db, id) {\n  const rows = await db.query('SELECT * FROM %s WHERE id = $1', [id]);\n  return sql`SELECT * FROM %s WHERE id = ${id}`;\n}\n" % (tbl(), tbl())),
        (None, "p_{n}.go", lambda: "func f(db *sql.DB, v string) {\n\tdb.Query(\"SELECT * FROM %s WHERE %s = $1\", v)\n\tlog.Printf(\"selected %%d rows from %%s\", n, t)\n}\n" % (tbl(), col())),
        (None, "P{n}.java", lambda: "class P {\n  void f(Connection c, String v) throws Exception {\n    PreparedStatement ps = c.prepareStatement(\"SELECT * FROM %s WHERE %s = ?\");\n    String label = \"Please select a file from the list: \" + v;\n  }\n}\n" % (tbl(), col())),
        (None, "p_{n}.rs", lambda: "async fn f(pool: &PgPool, id: i64) {\n    sqlx::query(\"SELECT * FROM %s WHERE id = $1\").bind(id).fetch_one(pool).await;\n}\n" % tbl()),
        (None, "P{n}.cs", lambda: "class P {\n  void F(string v) {\n    var cmd = new SqlCommand(\"SELECT * FROM %s WHERE Name = @name\", conn);\n    var q = ctx.Orders.FromSqlInterpolated($\"SELECT * FROM Orders WHERE Id = {v}\");\n  }\n}\n" % tbl()),
        (None, "p_{n}.php", lambda: "<?php\n$stmt = $pdo->prepare(\"SELECT * FROM %s WHERE id = ?\");\n$stmt->execute([$id]);\n" % tbl()),
        # Built and returned, never run here: left to the place that runs it.
        (None, "p_{n}.java", lambda: "class P {\n  String f(String v) {\n    return String.format(\"DELETE FROM %s WHERE id = %%s\", v);\n  }\n}\n" % tbl()),
        (None, "p_{n}.rb", lambda: "User.where(\"name = ?\", params[:name])\nputs \"selected #{n} rows from the table\"\n"),
    ]
    # ---- unwrap
    T += [
        ("unwrap", "src/bin{n}.rs", lambda: "fn main() {\n    let cfg = std::fs::read_to_string(\"app.toml\")\n@@        .unwrap();\n}\n"),
        ("unwrap", "src/server{n}.rs", lambda: "pub fn port() -> u16 {\n@@    std::env::var(\"PORT\").expect(\"PORT\").parse().unwrap_or(8080)\n}\n"),
        ("unwrap", "src/lib{n}.rs", lambda: "#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { assert_eq!(parse(\"1\").unwrap(), 1); }\n}\n\npub fn load(p: &str) -> String {\n@@    std::fs::read_to_string(p).unwrap()\n}\n"),
        (None, "src/ok{n}.rs", lambda: "pub fn port() -> u16 {\n    // do not call .unwrap() here\n    let msg = \"never .unwrap() in production\";\n    std::env::var(\"PORT\").ok().and_then(|p| p.parse().ok()).unwrap_or(8080)\n}\n"),
        (None, "src/t{n}.rs", lambda: "#[cfg(test)]\nmod tests {\n    fn first<'a>(s: &'a str) -> char { let c = '{'; s.chars().next().unwrap() }\n    #[tokio::test]\n    async fn it() { client().await.expect(\"client\"); }\n}\n"),
        (None, "tests/it{n}.rs", lambda: "#[test]\nfn works() { run().unwrap(); }\n"),
        (None, "benches/b{n}.rs", lambda: "fn bench() { setup().unwrap(); }\n"),
        (None, "examples/demo{n}.rs", lambda: "fn main() { demo().unwrap(); }\n"),
    ]
    # ---- cors
    T += [
        ("cors", "src/app{n}.rs", lambda: "pub fn app() -> Router {\n@@    Router::new().layer(CorsLayer::permissive())\n}\n"),
        ("cors", "src/web{n}.rs", lambda: "fn cors() -> Cors {\n@@    Cors::default().allow_any_origin()\n}\n"),
        ("cors", "server{n}.js", lambda: "const app = express();\n@@app.use(cors());\napp.listen(3000);\n"),
        ("cors", "server{n}.ts", lambda: "const app = express();\n@@app.use(cors({ origin: '*' }));\n"),
        ("cors", "main{n}.py", lambda: "app = FastAPI()\n@@app.add_middleware(CORSMiddleware, allow_origins=[\"*\"], allow_methods=[\"GET\"])\n"),
        ("cors", "web{n}.py", lambda: "app = Flask(__name__)\n@@CORS(app)\n"),
        ("cors", "settings{n}.py", lambda: "INSTALLED_APPS = ['corsheaders']\n@@CORS_ALLOW_ALL_ORIGINS = True\n"),
        ("cors", "main{n}.go", lambda: "func main() {\n@@\thandler := cors.AllowAll().Handler(mux)\n\t_ = handler\n}\n"),
        ("cors", "Api{n}.java", lambda: "@RestController\n@@@CrossOrigin\nclass Api {}\n"),
        ("cors", "Startup{n}.cs", lambda: "services.AddCors(o => o.AddPolicy(\"open\", p =>\n@@    p.AllowAnyOrigin().AllowAnyHeader()));\n"),
        ("cors", "site{n}.conf", lambda: "location /api {\n@@    add_header Access-Control-Allow-Origin *;\n}\n"),
        ("cors", "reflect{n}.js", lambda: "app.use((req, res, next) => {\n@@  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n  next();\n});\n"),
        (None, "ok{n}.js", lambda: "app.use(cors({ origin: ['https://app.example.com'] }));\nres.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');\n"),
        (None, "ok{n}.py", lambda: "app.add_middleware(CORSMiddleware, allow_origins=[\"https://app.example.com\"])\nCORS(app, origins=[\"https://app.example.com\"])\nCORS_ALLOW_ALL_ORIGINS = False\n"),
        (None, "src/ok{n}.rs", lambda: "let cors = CorsLayer::new().allow_origin(\"https://app.example.com\".parse::<HeaderValue>().unwrap_or_else(|_| fallback()));\n"),
        (None, "Ok{n}.java", lambda: "@CrossOrigin(origins = \"https://app.example.com\")\nclass Api {}\n"),
        (None, "ok{n}.conf", lambda: "add_header Access-Control-Allow-Origin https://app.example.com;\n"),
    ]
    return T


FILLER = ["", "# notes", "// helper", "x = 1", "value = compute(x)", "log.info(\"starting\")", "return result"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--per-template", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    g = Gen(rng)
    labels = []
    counter = 0
    for category, pattern, make in templates(g):
        for _ in range(args.per_template):
            counter += 1
            path = pattern.format(n=counter)
            lines = make().split("\n")
            # Binary-looking and key files keep their content at line 1; others get filler.
            # Files that are findings by their name (or whose format forbids filler) keep
            # their content as written; other snippets get random filler above them.
            whole_file = category == "secret-file" or "/" in pattern
            before = [] if whole_file else [rng.choice(FILLER) for _ in range(rng.randrange(0, 4))]
            text_lines = []
            for line in before + lines:
                if line.startswith("@@"):
                    line = line[2:]
                    if category:
                        labels.append({"path": path, "line": len(text_lines) + 1, "category": category})
                text_lines.append(line)
            full = os.path.join(args.out, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as handle:
                handle.write("\n".join(text_lines))
    with open(os.path.join(args.out, "labels.json"), "w") as handle:
        json.dump({"findings": sorted(labels, key=lambda l: (l["path"], l["line"]))}, handle, indent=1)
    print("wrote %d files, %d labelled findings, to %s" % (counter, len(labels), args.out))


if __name__ == "__main__":
    main()
