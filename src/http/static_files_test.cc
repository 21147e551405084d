#include "http/static_files.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "core/source_dir_for_tests.h"

namespace tendon::http {
namespace {

namespace fs = std::filesystem;

// A scratch tree: <dir>/root is the web root (with css/site.css and a folder), and <dir>/secret.txt
// sits beside it, outside the root.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = fs::temp_directory_path() /
           ("tendon_static_test_" + std::to_string(random()) + std::to_string(random()));
    ASSERT_TRUE(fs::create_directories(dir_ / "root/css"));
    fs::create_directories(dir_ / "root/images/empty");
    Write(dir_ / "root/css/site.css", "body { color: black; }\n");
    Write(dir_ / "root/images/logo.SVG", "<svg/>");
    Write(dir_ / "secret.txt", "do not serve\n");
    Write(dir_ / "root/.hidden", "hidden\n");
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  static void Write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

  Response Get(const std::string& path, Method method = Method::kGet) const {
    StaticFiles files(dir_ / "root", "/static/");
    Request request;
    request.method = method;
    request.path = path;
    request.target = path;
    return files.Serve(request);
  }

  fs::path dir_;
};

TEST_F(StaticFilesTest, ServesAFileWithItsTypeAndCacheHeader) {
  Response response = Get("/static/css/site.css");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "body { color: black; }\n");
  EXPECT_EQ(response.headers["Content-Type"], "text/css; charset=utf-8");
  EXPECT_EQ(response.headers["Cache-Control"], "public, max-age=3600");
}

TEST_F(StaticFilesTest, ExtensionsMatchWithoutRegardToCase) {
  Response response = Get("/static/images/logo.SVG");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers["Content-Type"], "image/svg+xml");
}

TEST_F(StaticFilesTest, HeadIsAnsweredLikeGet) {
  // The server leaves the body out of a HEAD response, after taking Content-Length from it.
  Response get = Get("/static/css/site.css");
  Response head = Get("/static/css/site.css", Method::kHead);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers, get.headers);
  EXPECT_EQ(head.body.size(), get.body.size());
}

TEST_F(StaticFilesTest, OtherMethodsAreNotAllowed) {
  Response response = Get("/static/css/site.css", Method::kPost);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers["Allow"], "GET, HEAD");
}

TEST_F(StaticFilesTest, RefusesPathsThatLeaveTheRootOrAreNotFiles) {
  const std::string nul_byte = std::string("/static/css/site.css") + '\0' + ".png";
  // The request path is already percent-decoded, so "/static/%2e%2e/secret.txt" arrives as "..".
  for (const std::string& path :
       {std::string("/static/../secret.txt"), std::string("/static/css/../../secret.txt"),
        std::string("/static/../root/css/site.css"), std::string("/static/..\\secret.txt"),
        std::string("/static//etc/passwd"), std::string("/static/./css/site.css"),
        std::string("/static/.hidden"), std::string("/static/css"), std::string("/static/css/"),
        std::string("/static/images/empty"), std::string("/static/"),
        std::string("/static/missing.css"), std::string("/other/css/site.css"), nul_byte}) {
    Response response = Get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.body.find("do not serve"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, RefusesTheRepositoryFilesAboveTheRealWebRoot) {
  // As the server runs it: web/static at /static/, with the repository's CMakeLists.txt two levels
  // up.
  const fs::path repository = SourceDirForTests();
  ASSERT_TRUE(fs::exists(repository / "CMakeLists.txt"));
  StaticFiles files(repository / "web/static", "/static/");
  Request request;
  request.path = "/static/../../CMakeLists.txt";
  EXPECT_EQ(files.Serve(request).status, 404);
  request.path = "/static/../CMakeLists.txt";
  EXPECT_EQ(files.Serve(request).status, 404);
}

TEST_F(StaticFilesTest, RefusesASymlinkPointingOutOfTheRoot) {
  std::error_code ec;
  fs::create_symlink(dir_ / "secret.txt", dir_ / "root/css/leak.css", ec);
  ASSERT_FALSE(ec) << ec.message();
  fs::create_directory_symlink(dir_, dir_ / "root/up", ec);
  ASSERT_FALSE(ec) << ec.message();

  EXPECT_EQ(Get("/static/css/leak.css").status, 404);
  EXPECT_EQ(Get("/static/up/secret.txt").status, 404);
}

TEST_F(StaticFilesTest, FollowsASymlinkThatStaysInsideTheRoot) {
  std::error_code ec;
  fs::create_symlink(dir_ / "root/css/site.css", dir_ / "root/css/alias.css", ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(Get("/static/css/alias.css").status, 200);
}

TEST_F(StaticFilesTest, RootGivenThroughASymlinkStillServes) {
  std::error_code ec;
  fs::create_directory_symlink(dir_ / "root", dir_ / "link-to-root", ec);
  ASSERT_FALSE(ec) << ec.message();
  StaticFiles files(dir_ / "link-to-root", "/static/");
  Request request;
  request.path = "/static/css/site.css";
  EXPECT_EQ(files.Serve(request).status, 200);
}

TEST_F(StaticFilesTest, HandlesOnlyItsPrefix) {
  StaticFiles files(dir_ / "root", "/static/");
  Request request;
  request.path = "/static/css/site.css";
  EXPECT_TRUE(files.Handles(request));
  request.path = "/staticx/site.css";
  EXPECT_FALSE(files.Handles(request));
  request.path = "/home";
  EXPECT_FALSE(files.Handles(request));
}

TEST(ContentTypeForTest, KnownAndUnknownExtensions) {
  struct Case {
    const char* file;
    const char* type;
  };
  for (const Case& c :
       {Case{"a.css", "text/css; charset=utf-8"}, Case{"a.js", "text/javascript; charset=utf-8"},
        Case{"a.mjs", "text/javascript; charset=utf-8"}, Case{"a.svg", "image/svg+xml"},
        Case{"a.png", "image/png"}, Case{"favicon.ico", "image/x-icon"},
        Case{"f.woff", "font/woff"}, Case{"f.woff2", "font/woff2"},
        Case{"manifest.json", "application/json"}, Case{"a.css.map", "application/json"},
        Case{"a.html", "text/html; charset=utf-8"}, Case{"a.txt", "text/plain; charset=utf-8"},
        Case{"a.exe", "application/octet-stream"},
        Case{"noextension", "application/octet-stream"}}) {
    EXPECT_EQ(ContentTypeFor(c.file), c.type) << c.file;
  }
}

}  // namespace
}  // namespace tendon::http
