// PgTestServer: a throwaway PostgreSQL server for tests and benchmarks, started from the
// `postgresql` package's initdb and pg_ctl in a temporary folder, listening only on a
// Unix socket there (never on a network address), stopped and removed with the object.
// initdb refuses to run as root, so under root the server runs as the user "nobody".
// Each database() is a new, empty database on it, so tests do not see each other's rows.
// Thread-safety: one owner; start, stop and database() from one thread.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace opflow::testing {

class PgTestServer {
public:
  // The durability a server runs with: tests skip fsync (a stop `-m immediate`, which
  // is a crash of the server but not of the machine, still keeps every commit, whose WAL
  // was written before it returned); benchmarks measure a server as a shop runs it.
  enum class Durability { Fast, Full };

  explicit PgTestServer(Durability durability = Durability::Fast) : m_durability(durability) {
    std::random_device random;
    m_dir = std::filesystem::temp_directory_path() /
            ("opflow-pg-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(m_dir);
    std::filesystem::permissions(m_dir, std::filesystem::perms::owner_all);
    if (::geteuid() == 0) {
      run("chown nobody:nogroup " + quoted(m_dir.string()));
    }
    run(asServer(binary("initdb") + " -D " + quoted(data()) +
                 " -U opflow --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync"));
    start();
  }

  ~PgTestServer() {
    if (m_running) {
      std::system((asServer(binary("pg_ctl") + " -D " + quoted(data()) + " -m immediate stop") + " >/dev/null 2>&1")
                      .c_str());
    }
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
  }
  PgTestServer(const PgTestServer&) = delete;
  PgTestServer& operator=(const PgTestServer&) = delete;

  // Starts the server (again), waiting until it accepts connections.
  void start() {
    std::string options = "-k " + m_dir.string() + " -c listen_addresses='' -c max_connections=60";
    if (m_durability == Durability::Fast) {
      options += " -c fsync=off -c full_page_writes=off";
    }
    run(asServer(binary("pg_ctl") + " -D " + quoted(data()) + " -l " + quoted((m_dir / "server.log").string()) +
                 " -o " + quoted(options) + " -w start"));
    m_running = true;
  }

  // Stops the server: `immediate` as a crash would (every commit kept), else at once
  // after ending the sessions ("fast").
  void stop(bool immediate = false) {
    run(asServer(binary("pg_ctl") + " -D " + quoted(data()) + " -m " + (immediate ? "immediate" : "fast") +
                 " -w stop"));
    m_running = false;
  }

  // A connection string to the database `name` (the server's own "postgres" database
  // when empty).
  [[nodiscard]] std::string conninfo(const std::string& name = "postgres") const {
    return "host=" + m_dir.string() + " port=5432 user=opflow dbname=" + name;
  }

  // A new empty database, and its connection string.
  [[nodiscard]] std::string database() {
    const std::string name = "test_" + std::to_string(++m_databases);
    psql("CREATE DATABASE " + name);
    return conninfo(name);
  }

  // Runs SQL with psql on the database `name`, returning what it printed (unaligned,
  // tuples only).
  std::string psql(const std::string& sql, const std::string& name = "postgres") const {
    const std::filesystem::path out = m_dir / "psql.out";
    run("psql -X -q -A -t -v ON_ERROR_STOP=1 -o " + quoted(out.string()) + " " + quoted(conninfo(name)) + " -c " +
        quoted(sql));
    std::ifstream file(out);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }

  [[nodiscard]] const std::filesystem::path& folder() const { return m_dir; }

private:
  [[nodiscard]] std::string data() const { return (m_dir / "data").string(); }

  static std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
      out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
  }

  static std::string binary(const std::string& name) {
    std::error_code missing;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", missing)) {
      const std::filesystem::path candidate = entry.path() / "bin" / name;
      if (std::filesystem::exists(candidate)) {
        return candidate.string();
      }
    }
    throw std::runtime_error(name + " not found under /usr/lib/postgresql: install the `postgresql` package "
                                    "(bash scripts/install-deps.sh)");
  }

  [[nodiscard]] static std::string asServer(const std::string& command) {
    return ::geteuid() == 0 ? "setpriv --reuid=nobody --regid=nogroup --clear-groups " + command : command;
  }

  void run(const std::string& command) const {
    const std::string log = (m_dir / "command.log").string();
    if (std::system((command + " > " + quoted(log) + " 2>&1").c_str()) != 0) {
      std::ifstream file(log);
      std::stringstream text;
      text << file.rdbuf();
      throw std::runtime_error("PostgreSQL test server: `" + command + "` failed: " + text.str());
    }
  }

  Durability m_durability;
  std::filesystem::path m_dir;
  bool m_running = false;
  int m_databases = 0;
};

// The test process's server, started when a test first needs one and removed at exit.
inline PgTestServer& processPgServer() {
  static PgTestServer server;
  return server;
}

} // namespace opflow::testing
