// Bad input, bad targets and a bad day, through the real opflow-cli: JSON nested 60,000
// levels deep, bytes that are not UTF-8, numbers past any double, customer names with
// terminal escapes, --out pointing at a symlink or a device, standard output that cannot
// be written, a refused signature that restarted a day's timeout, a user who may read the
// file but not write it, and a full disk. Each is the attack as the issue found it.
#include "CliTestSupport.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace opflow::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string deeplyNested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

class HostileInputCliTest : public CliFixture {
protected:
  void SetUp() override {
    CliFixture::SetUp();
    initWithUsers(m_dir, db(), {{"olga", "operator"}, {"sam", "supervisor"}});
    signIn(m_dir, db(), "olga");
  }

  std::string db() const { return (m_dir / "shop.db").string(); }

  CliResult on(std::vector<std::string> args, const std::string& stdinText = {}, const CliCall& call = {}) {
    args.insert(args.begin(), {"--db", db()});
    return cli(args, stdinText, call);
  }

  std::string waitingForASignature() {
    CliResult started = on({"run", "auth.sign", "--input", "meaning=approved for manufacturing", "--json"});
    EXPECT_EQ(started.exitCode, 0) << started.err;
    return Json::parse(started.out, nullptr, false).value("run_id", "");
  }
};

TEST_F(HostileInputCliTest, APayloadNestedSixtyThousandLevelsIsRefusedAuditedAndNeverStored) {
  const std::string run = waitingForASignature();
  CliResult refused = on({"signal", run, "signature", "--payload", deeplyNested(60'000)});
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_THAT(refused.err, HasSubstr("--payload: 120000 bytes, over the limit of 65536"));
  CliResult deep = on({"signal", run, "signature", "--payload", deeplyNested(40)});
  EXPECT_EQ(deep.exitCode, 2);
  EXPECT_THAT(deep.err, HasSubstr("--payload: nested deeper than 32 levels"));
  Json refusals = auditEntries(db(), "input.refused");
  ASSERT_EQ(refusals.size(), 2u);
  EXPECT_EQ(refusals[0]["user"], "olga");
  EXPECT_EQ(refusals[0]["after"]["input"], "--payload");
  EXPECT_LT(refusals[0].dump().size(), 2000u) << "the refusal holds the limit, not the payload";

  signIn(m_dir, db(), "sam");
  CliResult listed = on({"audit", "list", "--json", "--limit", "0"});
  ASSERT_EQ(listed.exitCode, 0) << listed.err;
  EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), 1) << "compact: one line, not pretty-printed";
}

TEST_F(HostileInputCliTest, BytesThatAreNotUtf8ExitTwoAndAreAuditedNotAnAbort) {
  CliResult input = on({"run", "auth.sign", "--input", "meaning=caf\xe9"});
  EXPECT_EQ(input.exitCode, 2) << "it aborted with type_error.316 (exit 134) before";
  EXPECT_THAT(input.err, HasSubstr("--input meaning: byte 0xE9 is not UTF-8"));
  CliResult inputs = on({"run", "auth.sign", "--inputs-json", "{\"meaning\": \"\xff\"}"});
  EXPECT_EQ(inputs.exitCode, 2);
  CliResult overflow = on({"run", "auth.sign", "--inputs-json", R"({"meaning": "x", "order": 1e400})"});
  EXPECT_EQ(overflow.exitCode, 2);
  EXPECT_THAT(overflow.err, HasSubstr("number overflow parsing '1e400'"));
  EXPECT_EQ(auditEntries(db(), "input.refused").size(), 3u);
  EXPECT_EQ(auditEntries(db(), "run.started").size(), 0u) << "nothing ran";
}

TEST_F(HostileInputCliTest, HostileDefinitionsAreRefusedByValidateNotACrash) {
  const std::string deep = write("deep.json", "{\"operation\": \"x\", \"version\": 1, \"nodes\": " +
                                                  deeplyNested(50'000) + "}")
                               .string();
  CliResult nested = cli({"ops", "validate", deep});
  EXPECT_EQ(nested.exitCode, 1) << "it crashed with SIGSEGV before";
  EXPECT_THAT(nested.err, HasSubstr("nested deeper than 64 levels"));
  const std::string huge = write("huge.json", R"({"operation": "x", "version": 1e400, "nodes": {}})").string();
  CliResult overflow = cli({"ops", "validate", huge});
  EXPECT_EQ(overflow.exitCode, 1) << "it aborted before";
  EXPECT_THAT(overflow.err, HasSubstr("number overflow parsing '1e400'"));
  CliResult large = cli({"ops", "validate", write("large.json", std::string(5 * 1024 * 1024, ' ')).string()});
  EXPECT_EQ(large.exitCode, 1);
  EXPECT_THAT(large.err, HasSubstr("over the limit of 4194304"));
  CliResult device = cli({"ops", "validate", "/dev/zero"});
  EXPECT_EQ(device.exitCode, 1) << "a device is not read to its (missing) end";
  EXPECT_THAT(device.err, HasSubstr("not a regular file"));
}

TEST_F(HostileInputCliTest, ACustomerNameCannotRepaintTheTerminalOrFakeARow) {
  CliResult escaped = on({"run", "order.create", "--input", "customer=Acme\x1b[2J\x1b[HORD-999999 CLOSED",
                          "--input", "material=PLA"});
  EXPECT_EQ(escaped.exitCode, 3);
  EXPECT_THAT(escaped.err, HasSubstr("/inputs/customer: holds a control character U+001B (at byte 4)"));
  CliResult lines = on({"run", "order.create", "--input", "customer=Acme\nORD-999999", "--input", "material=PLA"});
  EXPECT_EQ(lines.exitCode, 3) << "a name is one line";
  CliResult huge = on({"run", "order.create", "--input", "customer=" + std::string(130'000, 'A'), "--input",
                       "material=PLA"});
  EXPECT_EQ(huge.exitCode, 2);
  EXPECT_THAT(huge.err, HasSubstr("over the limit of 65536"));
  CliResult tooLong = on({"run", "order.create", "--input", "customer=" + std::string(300, 'A'), "--input",
                          "material=PLA"});
  EXPECT_EQ(tooLong.exitCode, 3);
  EXPECT_THAT(tooLong.err, HasSubstr("has 300 characters, over the limit of 200"));

  // A row an older build let in is still printed harmlessly.
  {
    auto store = store::LocalStore::open({db(), false, store::Durability::Normal, {}});
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->writer().execute([](store::Database& database) {
      return database.exec("INSERT INTO orders (number, customer, status, created_at, updated_at) VALUES "
                           "('ORD-000001', 'Acme' || char(27) || '[2J' || char(13) || 'ORD-999999', 'INITIATED', 1, 1)");
    }));
  }
  CliResult listed = on({"orders", "list"});
  ASSERT_EQ(listed.exitCode, 0) << listed.err;
  EXPECT_THAT(listed.out, Not(HasSubstr("\x1b"))) << "no raw escape reaches the terminal";
  EXPECT_THAT(listed.out, Not(HasSubstr("\r")));
  EXPECT_THAT(listed.out, HasSubstr("Acme\\x1b[2J\\x0dORD-999999"));
}

TEST_F(HostileInputCliTest, OutTakesARegularFileOrANewPathNothingElse) {
  signIn(m_dir, db(), "sam");
  const std::filesystem::path target = write("kept.csv", "kept\n");
  const std::filesystem::path link = m_dir / "link.csv";
  std::filesystem::create_symlink(target, link);
  CliResult throughLink = on({"audit", "export", "--format", "csv", "--out", link.string()});
  EXPECT_EQ(throughLink.exitCode, 2);
  EXPECT_THAT(throughLink.err, HasSubstr("is a symbolic link: write to a regular file or a new path"));
  EXPECT_TRUE(std::filesystem::is_symlink(link)) << "the rename used to replace the link with a file";
  EXPECT_EQ(readFile(target), "kept\n");

  const std::filesystem::path fifo = m_dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  CliResult intoFifo = on({"ops", "show", "auth.sign", "--format", "svg", "--out", fifo.string()});
  EXPECT_EQ(intoFifo.exitCode, 2);
  EXPECT_THAT(intoFifo.err, HasSubstr("is a FIFO"));
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));

  // Root can replace a device node: this one is the test's own copy of /dev/null (where
  // the system lets the test make one).
  const std::filesystem::path device = m_dir / "null";
  if (::geteuid() == 0 && ::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) {
    CliResult intoDevice = on({"audit", "export", "--format", "csv", "--out", device.string()});
    EXPECT_EQ(intoDevice.exitCode, 2);
    EXPECT_THAT(intoDevice.err, HasSubstr("is a device"));
    EXPECT_TRUE(std::filesystem::is_character_file(device));
  }
  CliResult fresh = on({"audit", "export", "--format", "csv", "--out", (m_dir / "new.csv").string()});
  EXPECT_EQ(fresh.exitCode, 0) << fresh.err;
  CliResult over = on({"audit", "export", "--format", "csv", "--out", target.string()});
  EXPECT_EQ(over.exitCode, 0) << "a regular file is replaced whole";
  EXPECT_THAT(readFile(target), HasSubstr("seq,id,at_ms"));
}

TEST_F(HostileInputCliTest, OutputThatCannotBeWrittenIsAFailureWithTheReason) {
  signIn(m_dir, db(), "sam");
  for (const std::vector<std::string>& read : {std::vector<std::string>{"orders", "list"},
                                               {"audit", "list"},
                                               {"runs", "list", "--json"}}) {
    CliResult full = on(read, {}, {{}, "/dev/full"});
    EXPECT_EQ(full.exitCode, 3) << read[0] << " exited 0 while its output went nowhere";
    EXPECT_THAT(full.err, HasSubstr("the output could not be written to standard output: No space left on device"));
  }
}

TEST_F(HostileInputCliTest, ARefusedSignatureBySignalFailsAndKeepsTheDeadline) {
  const std::string run = waitingForASignature();
  const Json before = Json::parse(on({"runs", "show", run, "--json"}).out);
  for (int attempt = 0; attempt < 2; ++attempt) {
    CliResult refused = on({"signal", run, "signature", "--payload", R"({"signature_id": "not-a-signature"})"});
    EXPECT_EQ(refused.exitCode, 3) << "it exited 0 and said nothing; sign exits 3";
    EXPECT_THAT(refused.err, HasSubstr("signature refused: "));
    EXPECT_THAT(refused.err, HasSubstr("(the run waits for another)"));
    EXPECT_THAT(refused.out, HasSubstr("waiting"));
  }
  const Json after = Json::parse(on({"runs", "show", run, "--json"}).out);
  EXPECT_EQ(after["state"], "waiting");
  EXPECT_EQ(after["wake_at"], before["wake_at"]) << "each refusal used to restart the day";
  EXPECT_EQ(after["data"]["signature_due"], before["wake_at"]);
  EXPECT_EQ(after["version"], 2) << "auth.sign v2 keeps its deadline";
}

TEST_F(HostileInputCliTest, ReadingLeavesTheFileAsItWasAndWorksForAReadOnlyUser) {
  const std::filesystem::path empty = write("empty.db", "");
  CliResult notADatabase = cli({"--db", empty.string(), "orders", "list"});
  EXPECT_EQ(notADatabase.exitCode, 2);
  EXPECT_THAT(notADatabase.err, HasSubstr("is not an Opflow database"));
  EXPECT_EQ(std::filesystem::file_size(empty), 0u) << "a read used to write a SQLite header into it";
  EXPECT_FALSE(std::filesystem::exists(m_dir / "empty.db-wal"));

  if (::geteuid() != 0) {
    GTEST_SKIP() << "reading as another, unprivileged user needs root to switch to it";
  }
  // The database and its folder, readable by all and writable by root only; the CLI runs
  // as nobody, who may read the file but not write it.
  std::filesystem::permissions(m_dir, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                          std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                          std::filesystem::perms::others_exec);
  for (const auto& file : std::filesystem::directory_iterator(m_dir)) {
    std::filesystem::permissions(file.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                                  std::filesystem::perms::group_read |
                                                  std::filesystem::perms::others_read);
  }
  const CliCall asNobody{{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"}, ""};
  CliResult listed = on({"orders", "list", "--json"}, {}, asNobody);
  EXPECT_EQ(listed.exitCode, 0) << "\"attempt to write a readonly database\" before: " << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("\"orders\""));
  CliResult acting = on({"run", "auth.sign", "--input", "meaning=x"}, {}, asNobody);
  EXPECT_NE(acting.exitCode, 0) << "acting needs to write";
}

TEST_F(HostileInputCliTest, AFullDiskIsNamedAsTheReason) {
  // A small tmpfs of its own, in a mount namespace of its own: a real full disk that the
  // rest of the machine does not share.
  const std::filesystem::path disk = m_dir / "disk";
  std::filesystem::create_directory(disk);
  const std::string unshare =
      "unshare --mount " + std::string(::geteuid() == 0 ? "" : "--map-root-user ") + "sh -c ";
  const std::string probe = unshare + shellQuoted("mount -t tmpfs -o size=64k tmpfs " + shellQuoted(disk.string())) +
                            " >/dev/null 2>&1";
  if (std::system(probe.c_str()) != 0) {
    GTEST_SKIP() << "no mount namespace with a tmpfs of its own here, so no disk of the test's own to fill";
  }
  // The copy keeps olga's session; the disk is filled to 20 blocks (80 KB) short, room to
  // open the database but not to journal a run whose meaning is 3,000 characters long.
  const std::string script = fmt::format(
      "set -e; mount -t tmpfs -o size=1m tmpfs {0}; cp {1} {0}/shop.db; "
      "dd if=/dev/zero of={0}/filler bs=4k count=$(( $(stat -f -c %a {0}) - 20 )) 2>/dev/null || true; "
      "set +e; {2} --db {0}/shop.db run auth.sign --input meaning={3} > {4} 2> {5}; echo $? > {6}",
      shellQuoted(disk.string()), shellQuoted(db()), shellQuoted(OPFLOW_CLI_PATH), std::string(3000, 'm'),
      shellQuoted((m_dir / "out").string()), shellQuoted((m_dir / "err").string()),
      shellQuoted((m_dir / "code").string()));
  const std::string command = unshare + shellQuoted(script);
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const std::string err = readFile(m_dir / "err");
  EXPECT_EQ(readFile(m_dir / "code"), "3\n") << err;
  EXPECT_THAT(err, HasSubstr("database or disk is full")) << "it said only \"run ... is not in the store\"";
  EXPECT_THAT(err, Not(HasSubstr("is not in the store")));
}

} // namespace
} // namespace opflow::test
