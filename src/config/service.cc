#include "config/service.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "config/csv.h"
#include "config/toml_reader.h"
#include "core/contact.h"
#include "fmt/format.h"

namespace tendon::config {
namespace {

namespace fs = std::filesystem;

// Demand shares are written to two or three decimal places, so their sum may be off by rounding.
constexpr double kShareTolerance = 0.001;

// A box round the United Kingdom. A coordinate outside it is a typo: a dropped minus sign, latitude
// and longitude swapped, or a misplaced decimal point.
struct CoordinateRange {
  double min;
  double max;
};
constexpr CoordinateRange kUkLatitude = {49.0, 61.0};
constexpr CoordinateRange kUkLongitude = {-9.0, 2.0};

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

StatusOr<CsvFile> ReadCsv(const fs::path& path, std::vector<std::string> header) {
  ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return CsvFile::Parse(text, path.string(), std::move(header));
}

Status RequireRows(const CsvFile& csv, std::string_view what) {
  if (!csv.rows().empty()) return OkStatus();
  return FileError(csv.file(), 0, "",
                   "has no rows; at least one " + std::string(what) + " is needed");
}

// Refuses a value already seen in the same column, naming the line where it first appeared.
class UniqueColumn {
 public:
  UniqueColumn(const CsvFile& csv, std::string_view column) : csv_(csv), column_(column) {}

  Status Add(const CsvRow& row, const std::string& value) {
    const auto [it, inserted] = first_line_.emplace(value, row.line);
    if (inserted) return OkStatus();
    return csv_.Error(row, column_,
                      Quoted(value) + " is already used on line " + std::to_string(it->second));
  }

 private:
  const CsvFile& csv_;
  std::string_view column_;
  std::map<std::string, int> first_line_;
};

// A UK postcode outward code: one or two letters, a digit, then an optional digit or letter.
bool IsOutwardCode(std::string_view code) {
  std::size_t i = 0;
  while (i < code.size() && i < 2 && code[i] >= 'A' && code[i] <= 'Z') ++i;
  if (i == 0 || i >= code.size() || code[i] < '0' || code[i] > '9') return false;
  ++i;
  if (i == code.size()) return true;
  const char last = code[i];
  return i + 1 == code.size() && ((last >= '0' && last <= '9') || (last >= 'A' && last <= 'Z'));
}

// An error when `value` is outside `range`, for a coordinate.
std::optional<std::string> OutsideUk(double value, CoordinateRange range) {
  if (value >= range.min && value <= range.max) return std::nullopt;
  return fmt::format("{:g} is outside the United Kingdom ({:g} to {:g})", value, range.min,
                     range.max);
}

StatusOr<double> ReadCoordinate(const CsvFile& csv, const CsvRow& row, std::string_view column,
                                CoordinateRange range) {
  ASSIGN_OR_RETURN(double value, csv.Double(row, column));
  if (auto outside = OutsideUk(value, range)) return csv.Error(row, column, *outside);
  return value;
}

// An error when `name` is not one of `regions`, listing them.
std::optional<std::string> UnknownRegion(const std::string& name,
                                         const std::vector<Region>& regions) {
  std::string known;
  for (const Region& region : regions) {
    if (region.name == name) return std::nullopt;
    known += (known.empty() ? "" : ", ") + region.name;
  }
  return Quoted(name) + " is not a region in regions.csv (" + known + ")";
}

// The "region" field of `row`, which must name one of `regions`.
StatusOr<std::string> ReadRegionName(const CsvFile& csv, const CsvRow& row,
                                     const std::vector<Region>& regions) {
  ASSIGN_OR_RETURN(std::string name, csv.Text(row, "region"));
  if (auto unknown = UnknownRegion(name, regions)) return csv.Error(row, "region", *unknown);
  return name;
}

Status CheckShareSum(const CsvFile& csv, const std::vector<Region>& regions) {
  double sum = 0;
  for (const Region& region : regions) sum += region.demand_share;
  if (std::abs(sum - 1.0) <= kShareTolerance) return OkStatus();
  return csv.Error(csv.rows().back(), "demand_share",
                   fmt::format("the demand shares sum to {:.4g}; they must sum to 1 (within {:g})",
                               sum, kShareTolerance));
}

StatusOr<std::vector<Region>> LoadRegions(const fs::path& path) {
  ASSIGN_OR_RETURN(CsvFile csv, ReadCsv(path, {"region", "demand_share"}));
  RETURN_IF_ERROR(RequireRows(csv, "region"));
  UniqueColumn names(csv, "region");
  std::vector<Region> regions;
  for (const CsvRow& row : csv.rows()) {
    Region region;
    ASSIGN_OR_RETURN(region.name, csv.Text(row, "region"));
    RETURN_IF_ERROR(names.Add(row, region.name));
    ASSIGN_OR_RETURN(region.demand_share, csv.Double(row, "demand_share"));
    if (region.demand_share < 0 || region.demand_share > 1) {
      return csv.Error(row, "demand_share", "must be between 0 and 1");
    }
    regions.push_back(std::move(region));
  }
  RETURN_IF_ERROR(CheckShareSum(csv, regions));
  return regions;
}

StatusOr<Site> ReadSite(const CsvFile& csv, const CsvRow& row, const std::vector<Region>& regions) {
  Site site;
  ASSIGN_OR_RETURN(site.id, csv.Text(row, "id"));
  ASSIGN_OR_RETURN(site.name, csv.Text(row, "name"));
  ASSIGN_OR_RETURN(site.region, csv.Text(row, "region"));
  ASSIGN_OR_RETURN(site.address, csv.Text(row, "address"));
  ASSIGN_OR_RETURN(site.latitude, csv.Double(row, "latitude"));
  ASSIGN_OR_RETURN(site.longitude, csv.Double(row, "longitude"));
  ASSIGN_OR_RETURN(site.rooms, csv.Int(row, "rooms"));
  ASSIGN_OR_RETURN(site.weekly_clinic_days, csv.Int(row, "weekly_clinic_days"));
  const std::vector<Status> problems = SiteProblems(site, regions);
  if (!problems.empty()) return csv.Error(row, problems[0].field(), problems[0].message());
  return site;
}

StatusOr<std::vector<Site>> LoadSites(const fs::path& path, const std::vector<Region>& regions) {
  ASSIGN_OR_RETURN(CsvFile csv, ReadCsv(path, {"id", "name", "region", "address", "latitude",
                                               "longitude", "rooms", "weekly_clinic_days"}));
  RETURN_IF_ERROR(RequireRows(csv, "site"));
  UniqueColumn ids(csv, "id");
  UniqueColumn names(csv, "name");
  std::vector<Site> sites;
  for (const CsvRow& row : csv.rows()) {
    ASSIGN_OR_RETURN(Site site, ReadSite(csv, row, regions));
    RETURN_IF_ERROR(ids.Add(row, site.id));
    RETURN_IF_ERROR(names.Add(row, site.name));
    sites.push_back(std::move(site));
  }
  return sites;
}

StatusOr<PostcodeDistrict> ReadDistrict(const CsvFile& csv, const CsvRow& row,
                                        const std::vector<Region>& regions) {
  PostcodeDistrict district;
  ASSIGN_OR_RETURN(district.district, csv.Text(row, "district"));
  if (!IsOutwardCode(district.district)) {
    return csv.Error(row, "district",
                     Quoted(district.district) + " is not a postcode outward code, such as 'OX3'");
  }
  ASSIGN_OR_RETURN(district.area, csv.Text(row, "area"));
  ASSIGN_OR_RETURN(district.region, ReadRegionName(csv, row, regions));
  ASSIGN_OR_RETURN(district.latitude, ReadCoordinate(csv, row, "latitude", kUkLatitude));
  ASSIGN_OR_RETURN(district.longitude, ReadCoordinate(csv, row, "longitude", kUkLongitude));
  return district;
}

StatusOr<std::vector<PostcodeDistrict>> LoadDistricts(const fs::path& path,
                                                      const std::vector<Region>& regions) {
  ASSIGN_OR_RETURN(CsvFile csv,
                   ReadCsv(path, {"district", "area", "region", "latitude", "longitude"}));
  RETURN_IF_ERROR(RequireRows(csv, "district"));
  UniqueColumn codes(csv, "district");
  std::vector<PostcodeDistrict> districts;
  for (const CsvRow& row : csv.rows()) {
    ASSIGN_OR_RETURN(PostcodeDistrict district, ReadDistrict(csv, row, regions));
    RETURN_IF_ERROR(codes.Add(row, district.district));
    districts.push_back(std::move(district));
  }
  return districts;
}

StatusOr<std::vector<std::string>> LoadLocalities(const fs::path& path) {
  ASSIGN_OR_RETURN(CsvFile csv, ReadCsv(path, {"name"}));
  RETURN_IF_ERROR(RequireRows(csv, "locality"));
  UniqueColumn names(csv, "name");
  std::vector<std::string> localities;
  for (const CsvRow& row : csv.rows()) {
    ASSIGN_OR_RETURN(std::string name, csv.Text(row, "name"));
    RETURN_IF_ERROR(names.Add(row, name));
    localities.push_back(std::move(name));
  }
  return localities;
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

std::string ErrnoMessage(int error) { return std::generic_category().message(error); }

}  // namespace

std::vector<Status> SiteProblems(const Site& site, const std::vector<Region>& regions) {
  std::vector<Status> problems;
  auto fail = [&](std::string message, const char* field) {
    problems.push_back(InvalidArgumentError(std::move(message), field));
  };
  if (!IsKebabId(site.id)) {
    fail(Quoted(site.id) + " must be lower-case kebab, such as 'marcham-road'", "id");
  }
  if (site.name.empty()) fail("enter the site's name", "name");
  if (auto unknown = UnknownRegion(site.region, regions)) fail(*unknown, "region");
  if (site.address.empty()) fail("enter the site's address (a town or area is enough)", "address");
  if (auto outside = OutsideUk(site.latitude, kUkLatitude)) fail(*outside, "latitude");
  if (auto outside = OutsideUk(site.longitude, kUkLongitude)) fail(*outside, "longitude");
  if (site.rooms < 1) {
    fail("must be at least 1, found " + std::to_string(site.rooms), "rooms");
  } else if (site.weekly_clinic_days < 0 || site.weekly_clinic_days > site.rooms) {
    fail("must be between 0 and the site's rooms (" + std::to_string(site.rooms) + "), found " +
             std::to_string(site.weekly_clinic_days),
         "weekly_clinic_days");
  }
  return problems;
}

StatusOr<std::string> ReadTextFile(const fs::path& path) {
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (file == nullptr) {
    const int error = errno;
    const std::string message = path.string() + ": cannot open: " + ErrnoMessage(error);
    if (error == ENOENT || error == ENOTDIR) return NotFoundError(message);
    return UnavailableError(message);
  }
  std::string text;
  char buffer[1 << 14];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, count);
  if (std::ferror(file.get())) {
    return UnavailableError(path.string() + ": cannot read: " + ErrnoMessage(errno));
  }
  return text;
}

namespace {

constexpr int kMaxTimingWorkingDays = 60;
constexpr int kMaxClaimMinutes = 8 * 60;

// service.toml [booking].
Status ReadBookingSettings(const toml::table& table, TomlReader& reader, Timing& timing) {
  ASSIGN_OR_RETURN(TomlReader booking, reader.Table("booking"));
  std::string first_dna;
  RETURN_IF_ERROR(booking.String("first_dna", first_dna));
  if (first_dna == "rebook") {
    timing.first_dna = FirstDna::kRebook;
  } else if (first_dna == "discharge") {
    timing.first_dna = FirstDna::kDischarge;
  } else {
    return booking.Error("first_dna", table.at_path("booking.first_dna").node(),
                         "must be \"rebook\" or \"discharge\"");
  }
  RETURN_IF_ERROR(booking.Int("horizon_weeks", 1, kMaxHorizonWeeks, timing.horizon_weeks));
  RETURN_IF_ERROR(
      booking.Int("offer_working_days", 1, kMaxTimingWorkingDays, timing.offer_working_days));
  return booking.Finish();
}

constexpr int kMaxPifuWindowMonths = 24;
constexpr int kMaxNoticeDays = 90;

// service.toml [pifu], optional: the defaults of Timing stand without it.
Status ReadPifuSettings(TomlReader& reader, Timing& timing) {
  if (!reader.Has("pifu")) return OkStatus();
  ASSIGN_OR_RETURN(TomlReader pifu, reader.Table("pifu"));
  RETURN_IF_ERROR(pifu.Int("window_months", 1, kMaxPifuWindowMonths, timing.pifu_window_months));
  RETURN_IF_ERROR(pifu.Int("response_working_days", 1, kMaxTimingWorkingDays,
                           timing.pifu_response_working_days));
  RETURN_IF_ERROR(
      pifu.Int("closing_notice_days", 1, kMaxNoticeDays, timing.pifu_closing_notice_days));
  return pifu.Finish();
}

// service.toml [letters], optional.
Status ReadLetterSettings(TomlReader& reader, Timing& timing) {
  if (!reader.Has("letters")) return OkStatus();
  ASSIGN_OR_RETURN(TomlReader letters, reader.Table("letters"));
  RETURN_IF_ERROR(letters.String("gp_mailbox", timing.gp_letters_mailbox));
  if (!IsEmailAddress(timing.gp_letters_mailbox)) {
    return letters.Error("gp_mailbox", nullptr, "must be an email address");
  }
  return letters.Finish();
}

constexpr int kMaxSeconds = 24 * 60 * 60;
constexpr int kMaxBatch = 1000;
constexpr int kMaxAttempts = 100;
constexpr int kMaxPort = 65535;
constexpr int kSendsPerMessage = 2;  // A retried Notify send asks by reference, then sends.

Status OptionalInt(TomlReader& reader, std::string_view key, int lo, int hi, int& out) {
  return reader.Has(key) ? reader.Int(key, lo, hi, out) : OkStatus();
}

Status OptionalString(TomlReader& reader, std::string_view key, std::string& out) {
  return reader.Has(key) ? reader.String(key, out) : OkStatus();
}

// service.toml [notifications.smtp].
StatusOr<SmtpConfig> ReadSmtp(TomlReader& notifications) {
  ASSIGN_OR_RETURN(TomlReader smtp, notifications.Table("smtp"));
  SmtpConfig c;
  RETURN_IF_ERROR(smtp.String("host", c.host));
  RETURN_IF_ERROR(smtp.Int("port", 1, kMaxPort, c.port));
  RETURN_IF_ERROR(smtp.String("from", c.from));
  RETURN_IF_ERROR(OptionalString(smtp, "from_name", c.from_name));
  RETURN_IF_ERROR(smtp.String("helo", c.helo));
  RETURN_IF_ERROR(OptionalInt(smtp, "timeout_seconds", 1, kMaxSeconds, c.timeout_seconds));
  if (smtp.Has("starttls")) {
    RETURN_IF_ERROR(smtp.Bool("starttls", c.starttls));
  }
  RETURN_IF_ERROR(OptionalString(smtp, "ca_file", c.ca_file));
  RETURN_IF_ERROR(smtp.Finish());
  return c;
}

// service.toml [notifications.notify]: the key's place, never the key.
StatusOr<NotifyConfig> ReadNotify(const toml::table& table, TomlReader& notifications) {
  ASSIGN_OR_RETURN(TomlReader notify, notifications.Table("notify"));
  NotifyConfig c;
  RETURN_IF_ERROR(notify.String("base_url", c.base_url));
  RETURN_IF_ERROR(OptionalString(notify, "ca_file", c.ca_file));
  RETURN_IF_ERROR(OptionalString(notify, "api_key_env", c.api_key_env));
  RETURN_IF_ERROR(OptionalString(notify, "api_key_file", c.api_key_file));
  if (c.api_key_env.empty() == c.api_key_file.empty()) {
    return notify.Error("api_key_env", table.at_path("notifications.notify").node(),
                        "give exactly one of api_key_env and api_key_file (never the key)");
  }
  RETURN_IF_ERROR(notify.String("sms_template_id", c.sms_template_id));
  RETURN_IF_ERROR(notify.String("email_template_id", c.email_template_id));
  RETURN_IF_ERROR(OptionalInt(notify, "timeout_seconds", 1, kMaxSeconds, c.timeout_seconds));
  RETURN_IF_ERROR(notify.Finish());
  return c;
}

// service.toml [portal], optional.
Status ReadPortalSettings(TomlReader& reader, ServiceConfig& config) {
  if (!reader.Has("portal")) return OkStatus();
  ASSIGN_OR_RETURN(TomlReader portal, reader.Table("portal"));
  if (portal.Has("show_staff_names")) {
    RETURN_IF_ERROR(portal.Bool("show_staff_names", config.portal_show_staff_names));
  }
  return portal.Finish();
}

// service.toml [notifications], optional.
Status ReadNotificationSettings(const toml::table& table, TomlReader& reader,
                                ServiceConfig& config) {
  if (!reader.Has("notifications")) return OkStatus();
  ASSIGN_OR_RETURN(TomlReader n, reader.Table("notifications"));
  NotificationConfig c;
  RETURN_IF_ERROR(n.String("contact_phone", c.contact_phone));
  RETURN_IF_ERROR(n.String("portal_url", c.portal_url));
  std::string email_via = "smtp";
  RETURN_IF_ERROR(OptionalString(n, "email_via", email_via));
  if (email_via != "smtp" && email_via != "notify") {
    return n.Error("email_via", table.at_path("notifications.email_via").node(),
                   "must be \"smtp\" or \"notify\"");
  }
  c.email_via_notify = email_via == "notify";
  RETURN_IF_ERROR(OptionalInt(n, "batch_size", 1, kMaxBatch, c.batch_size));
  RETURN_IF_ERROR(OptionalInt(n, "lease_seconds", 1, kMaxSeconds, c.lease_seconds));
  RETURN_IF_ERROR(OptionalInt(n, "max_attempts", 1, kMaxAttempts, c.max_attempts));
  RETURN_IF_ERROR(OptionalInt(n, "first_retry_seconds", 1, kMaxSeconds, c.first_retry_seconds));
  RETURN_IF_ERROR(OptionalInt(n, "max_retry_seconds", 1, kMaxSeconds, c.max_retry_seconds));
  RETURN_IF_ERROR(OptionalInt(n, "poll_seconds", 1, kMaxSeconds, c.poll_seconds));
  if (n.Has("smtp")) {
    ASSIGN_OR_RETURN(c.smtp, ReadSmtp(n));
  }
  if (n.Has("notify")) {
    ASSIGN_OR_RETURN(c.notify, ReadNotify(table, n));
  }
  const toml::node* section = table.at_path("notifications").node();
  if (!c.smtp && !c.notify) {
    return n.Error("smtp", section,
                   "configure [notifications.smtp], [notifications.notify] or both");
  }
  if (c.email_via_notify && !c.notify) {
    return n.Error("email_via", section, "\"notify\" needs [notifications.notify]");
  }
  const int timeout =
      std::max(c.smtp ? c.smtp->timeout_seconds : 0, c.notify ? c.notify->timeout_seconds : 0);
  const int batch_time = c.batch_size * kSendsPerMessage * timeout;
  if (c.lease_seconds <= batch_time) {
    return n.Error("lease_seconds", table.at_path("notifications.lease_seconds").node(),
                   "must be more than batch_size x 2 x the longest timeout_seconds (" +
                       std::to_string(batch_time) + "), so that a claim outlasts its batch");
  }
  RETURN_IF_ERROR(n.Finish());
  config.notifications = std::move(c);
  return OkStatus();
}

// service.toml: the service-wide settings; any other key is refused, to catch misspellings.
Status ReadServiceSettings(std::string_view text, const std::string& file, ServiceConfig& config) {
  ASSIGN_OR_RETURN(toml::table table, ParseToml(text, file));
  TomlReader reader(table, file, "");
  RETURN_IF_ERROR(reader.String("name", config.name));
  RETURN_IF_ERROR(reader.DateValue("go_live", config.go_live));
  ASSIGN_OR_RETURN(TomlReader timing, reader.Table("timing"));
  ASSIGN_OR_RETURN(TomlReader triage, timing.Table("triage_working_days"));
  constexpr std::string_view kPriorities[] = {"emergency", "urgent", "post_op", "routine"};
  Timing& t = config.timing;
  for (std::size_t i = 0; i < std::size(kPriorities); ++i) {
    RETURN_IF_ERROR(triage.Int(kPriorities[i], 0, kMaxTimingWorkingDays, t.triage_working_days[i]));
  }
  RETURN_IF_ERROR(triage.Finish());
  RETURN_IF_ERROR(
      timing.Int("resubmit_working_days", 1, kMaxTimingWorkingDays, t.resubmit_working_days));
  RETURN_IF_ERROR(
      timing.Int("booking_working_days", 1, kMaxTimingWorkingDays, t.booking_working_days));
  int claim_minutes = 0;
  RETURN_IF_ERROR(timing.Int("claim_timeout_minutes", 5, kMaxClaimMinutes, claim_minutes));
  t.claim_timeout = std::chrono::minutes(claim_minutes);
  RETURN_IF_ERROR(timing.Finish());
  RETURN_IF_ERROR(ReadBookingSettings(table, reader, t));
  RETURN_IF_ERROR(ReadPifuSettings(reader, t));
  RETURN_IF_ERROR(ReadLetterSettings(reader, t));
  RETURN_IF_ERROR(ReadNotificationSettings(table, reader, config));
  RETURN_IF_ERROR(ReadPortalSettings(reader, config));
  return reader.Finish();
}

}  // namespace

StatusOr<ServiceConfig> LoadService(const fs::path& dir) {
  ServiceConfig config;
  const fs::path toml_path = dir / "service.toml";
  ASSIGN_OR_RETURN(std::string toml_text, ReadTextFile(toml_path));
  RETURN_IF_ERROR(ReadServiceSettings(toml_text, toml_path.string(), config));
  ASSIGN_OR_RETURN(config.regions, LoadRegions(dir / "regions.csv"));
  ASSIGN_OR_RETURN(config.sites, LoadSites(dir / "sites.csv", config.regions));
  ASSIGN_OR_RETURN(config.districts, LoadDistricts(dir / "districts.csv", config.regions));
  ASSIGN_OR_RETURN(config.localities, LoadLocalities(dir / "localities.csv"));
  return config;
}

StatusOr<WorkingCalendar> LoadWorkingCalendar(const fs::path& path) {
  ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return WorkingCalendar::Parse(text, path.string());
}

}  // namespace tendon::config
