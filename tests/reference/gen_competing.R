# Reference values for gvhdstats.methods.competing (cumulative incidence, Gray's test).
#
# Run from the repository root:
#   Rscript --vanilla tests/reference/gen_competing.R
# Writes tests/reference/competing_cmprsk.json (data sets + cmprsk output) and
# tests/reference/competing_versions.txt.  DO NOT EDIT the outputs by hand.
#
# For every data set: the data, cmprsk::cuminc() curves (time, est, var) for
# every cause and group, cmprsk::timepoints() on a grid of times, and $Tests
# for rho = 0 and rho = 1, with and without strata.

suppressPackageStartupMessages({
  library(cmprsk)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(args) >= 1) args[1] else "tests/reference"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

# ---------------------------------------------------------------------------
# Data sets
# ---------------------------------------------------------------------------
sim <- function(n, ngroup = 2, ncause = 2, nstrata = 1, round_to = NA,
                cens_rate = 0.3, admin = Inf, glabels = NULL, cencode = 0,
                codes = NULL) {
  g <- sample(seq_len(ngroup), n, replace = TRUE)
  rates <- matrix(runif(ngroup * ncause, 0.2, 1.2), ngroup, ncause)
  tt <- matrix(0, n, ncause)
  for (k in seq_len(ncause)) tt[, k] <- rexp(n, rates[g, k])
  tmin <- apply(tt, 1, min)
  cause <- apply(tt, 1, which.min)
  cens <- if (cens_rate > 0) rexp(n, cens_rate) else rep(Inf, n)
  cens <- pmin(cens, admin)
  time <- pmin(tmin, cens)
  status <- ifelse(tmin <= cens, cause, 0L)
  if (!is.na(round_to)) time <- round(time / round_to) * round_to
  if (!is.null(codes)) status <- codes[status + 1]
  else if (cencode != 0) status[status == 0] <- cencode
  grp <- if (is.null(glabels)) g else glabels[g]
  st <- if (nstrata > 1) sample(seq_len(nstrata), n, replace = TRUE) else NULL
  list(time = time, status = status, group = grp, strata = st, cencode = cencode)
}

sets <- list()
add <- function(name, d) sets[[name]] <<- d

set.seed(20240601)
add("small5_one_group", list(time = c(1, 2, 2, 3, 5), status = c(1, 2, 1, 0, 1),
                             group = NULL, strata = NULL, cencode = 0))
add("small8_two_groups_ties", list(time = c(1, 1, 2, 2, 2, 3, 3, 4),
                                   status = c(1, 2, 1, 0, 1, 1, 0, 2),
                                   group = c(1, 2, 1, 2, 2, 1, 2, 1),
                                   strata = NULL, cencode = 0))
add("small10_three_groups", sim(10, ngroup = 3, round_to = 1))
add("n50_integer_times", sim(50, round_to = 1))
add("n200_three_causes_three_groups", sim(200, ngroup = 3, ncause = 3, round_to = 0.5))
add("n300_four_groups_strata", sim(300, ngroup = 4, nstrata = 2, round_to = 0.25))
d <- sim(120, ngroup = 3, round_to = 1)
d$status[d$group == 2 & d$status == 1] <- 2   # group 2: no events of cause 1
add("n120_group_without_cause1", d)
d <- sim(80, ngroup = 2, ncause = 2)
d$status[d$status == 1] <- 2                  # cause 1 absent everywhere
add("n80_no_cause1", d)
add("n150_admin_censoring", sim(150, admin = 1, round_to = 0.1, cens_rate = 0.1))
d <- sim(60, ngroup = 2, round_to = 1)
d$time[which.max(d$time)] <- max(d$time) + 1
d$status[which.max(d$time)] <- 1              # last observation: event of cause 1
add("n60_last_is_event", d)
add("n2000_integer_ties", sim(2000, round_to = 1))
add("n2000_untied", sim(2000, ngroup = 2))
add("n400_three_strata", sim(400, ngroup = 2, nstrata = 3, round_to = 0.5))
add("n250_cencode9", sim(250, ngroup = 2, cencode = 9, round_to = 0.5))
add("n200_string_groups", sim(200, ngroup = 3, glabels = c("alpha", "beta", "gamma"),
                              round_to = 0.5))
d <- sim(300, ngroup = 3, nstrata = 2, round_to = 0.5)
d$group[d$strata == 1 & d$group == 3] <- 1    # group 3 empty in stratum 1
add("n300_group_empty_in_stratum", d)
add("n100_no_censoring", sim(100, ngroup = 2, cens_rate = 0, round_to = 0.5))
d <- sim(90, ngroup = 2, round_to = 1)
d$time[1:8] <- 0                               # events and censorings at time 0
add("n90_time_zero", d)
add("n1000_heavy_ties", sim(1000, ngroup = 2, ncause = 2, round_to = 1, cens_rate = 0.05))
add("n1000_five_groups", sim(1000, ngroup = 5, round_to = 0.2))
d <- sim(40, ngroup = 2, cens_rate = 0, round_to = 1)
add("n40_km_to_zero", d)
add("n500_codes_3_7", sim(500, ngroup = 2, ncause = 2, round_to = 0.5, codes = c(0L, 3L, 7L)))
add("n30_one_group_ties", sim(30, ngroup = 1, round_to = 1))

# ---------------------------------------------------------------------------
# cmprsk output
# ---------------------------------------------------------------------------
tests_frame <- function(fit, rho, strata) {
  if (is.null(fit$Tests)) return(NULL)
  tt <- fit$Tests
  data.frame(cause = rownames(tt), rho = rho, strata = strata,
             stat = unname(tt[, "stat"]), pv = unname(tt[, "pv"]), df = unname(tt[, "df"]))
}

run_set <- function(name, d) {
  grp <- if (is.null(d$group)) rep(1, length(d$time)) else d$group
  fit <- cuminc(d$time, d$status, grp, cencode = d$cencode)
  fit1 <- cuminc(d$time, d$status, grp, rho = 1, cencode = d$cencode)
  ugg <- levels(as.factor(grp))
  cens <- d$status == d$cencode
  uclab <- sort(unique(d$status[!cens]))
  curves <- list()
  l <- 0
  for (cc in uclab) for (gg in ugg) {
    l <- l + 1
    z <- fit[[l]]
    curves[[l]] <- list(cause = cc, group = gg, time = z$time, est = z$est, var = z$var)
  }
  ut <- sort(unique(d$time))
  ut <- ut[unique(round(seq(1, length(ut), length.out = min(length(ut), 300))))]
  grid <- sort(unique(c(0, ut, ut + 0.25, quantile(d$time, c(0.1, 0.5, 0.9)),
                        max(d$time), max(d$time) + 1)))
  tp <- timepoints(fit, grid)
  tp_rows <- list()
  l <- 0
  for (cc in uclab) for (gg in ugg) {
    l <- l + 1
    tp_rows[[l]] <- list(cause = cc, group = gg, est = unname(tp$est[l, ]),
                         var = unname(tp$var[l, ]))
  }
  tests <- rbind(tests_frame(fit, 0, FALSE), tests_frame(fit1, 1, FALSE))
  if (!is.null(d$strata)) {
    fs0 <- cuminc(d$time, d$status, grp, d$strata, rho = 0, cencode = d$cencode)
    fs1 <- cuminc(d$time, d$status, grp, d$strata, rho = 1, cencode = d$cencode)
    tests <- rbind(tests, tests_frame(fs0, 0, TRUE), tests_frame(fs1, 1, TRUE))
  }
  list(name = name, censor_code = d$cencode, time = d$time, status = d$status,
       group = if (is.null(d$group)) NULL else d$group,
       strata = d$strata, causes = uclab, groups = ugg, curves = curves,
       timepoints = list(times = grid, rows = tp_rows), tests = tests)
}

res <- lapply(names(sets), function(nm) run_set(nm, sets[[nm]]))
versions <- list(R = R.version.string, cmprsk = as.character(packageVersion("cmprsk")),
                 jsonlite = as.character(packageVersion("jsonlite")),
                 generated_by = "tests/reference/gen_competing.R")
write_json(list(versions = versions, datasets = res),
           file.path(out_dir, "competing_cmprsk.json"),
           auto_unbox = TRUE, digits = NA, null = "null", na = "null")
writeLines(c(R.version.string,
             paste("cmprsk", as.character(packageVersion("cmprsk"))),
             paste("jsonlite", as.character(packageVersion("jsonlite")))),
           file.path(out_dir, "competing_versions.txt"))
cat("wrote", length(res), "data sets\n")
