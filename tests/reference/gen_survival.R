# Reference values for gvhdstats.methods.survival (Kaplan-Meier, log-rank, Cox).
#
# Run from the repository root:
#   Rscript --vanilla tests/reference/gen_survival.R
# Writes tests/reference/survival_reference.json and survival_versions.txt.
# DO NOT EDIT the fixtures by hand; rerun this script.

suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})

# output directory: first argument, else the folder of this script
args <- commandArgs(trailingOnly = TRUE)
all_args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", all_args[grep("^--file=", all_args)])
outdir <- if (length(args) >= 1) args[1] else if (length(script)) {
  dirname(normalizePath(script))
} else "tests/reference"
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

conf_types <- c("log", "log-log", "plain", "logit", "arcsin")
probs <- c(0.1, 0.25, 0.5, 0.75, 0.9)

# ---------------------------------------------------------------- data sets
datasets <- list()
add <- function(name, time, event, group = NULL, strata = NULL, covars = NULL,
                times = NULL, cox = TRUE) {
  datasets[[name]] <<- list(
    name = name, time = time, event = as.integer(event), group = group,
    strata = strata, covars = covars, times = times, cox = cox
  )
}

# 1. the aml data (maintained vs not), small, with ties
add("aml", aml$time, aml$status, group = as.character(aml$x),
    times = c(0, 5, 12, 30, 48, 100, 200))

# 2. heavy ties: five distinct times, two groups
set.seed(20240501)
n <- 80
add("heavy_ties", sample(1:5, n, replace = TRUE), rbinom(n, 1, 0.7),
    group = sample(c("ctrl", "msc"), n, replace = TRUE), times = c(0, 1, 2.5, 5, 6))

# 3. small n, one group
add("small_one_group", c(3, 1, 4, 1, 5), c(1, 1, 0, 1, 1), times = c(0, 1, 2, 5, 10))

# 4. censoring at event times (censored and events tied at the same time)
add("censor_at_events", c(2, 2, 2, 3, 3, 5, 5, 5, 5, 8, 8, 9, 2, 3, 5, 8),
    c(1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1),
    group = rep(c("a", "b"), c(12, 4)), times = c(2, 4, 8, 9))

# 5. curve flat exactly at 0.5 for a stretch (median (3 + 5) / 2 = 4)
add("flat_half", c(1, 2, 3, 4, 5, 6), c(1, 1, 1, 0, 1, 1), times = c(3, 4, 5))

# 6. curve that ends exactly at 0.5 (all later follow-up censored)
add("ends_at_half", c(1, 2, 3, 4, 2, 3, 5, 6, 7, 8), c(1, 1, 0, 0, 1, 1, 1, 0, 1, 0),
    group = rep(c("g1", "g2"), c(4, 6)), times = c(1, 2, 4, 9))

# 7. three groups with ties and administrative censoring at 10
set.seed(7)
n <- 90
g <- rep(c("A", "B", "C"), each = 30)
rate <- c(A = 0.10, B = 0.15, C = 0.25)[g]
tt <- ceiling(rexp(n, rate))
ev <- as.integer(tt <= 10)
tt <- pmin(tt, 10)
cens <- ceiling(runif(n, 0, 14))
ev[cens < tt] <- 0L
tt <- pmin(tt, cens)
add("three_groups_admin", tt, ev, group = g, times = c(0, 2, 5, 10, 12))

# 8. four groups in two strata
set.seed(11)
n <- 120
g <- sample(c("g1", "g2", "g3", "g4"), n, replace = TRUE)
s <- sample(c("s1", "s2"), n, replace = TRUE)
tt <- round(rexp(n, 0.2 + 0.1 * (g == "g2") + 0.05 * (s == "s2")), 1)
ce <- round(runif(n, 0, 12), 1)
ev <- as.integer(tt <= ce)
add("four_groups_strata", pmin(tt, ce), ev, group = g, strata = s, times = c(1, 3, 6))

# 9. two groups, all events (no censoring), ties
set.seed(3)
n <- 40
add("no_censoring", sample(1:15, n, replace = TRUE), rep(1L, n),
    group = rep(c("x", "y"), each = 20), times = c(0, 7, 15, 20))

# 10. events at time zero
add("time_zero", c(0, 0, 1, 2, 2, 3, 0, 1, 4, 4, 5, 6), c(1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0),
    group = rep(c("a", "b"), each = 6), times = c(0, 1, 3, 6))

# 11. lung data: sex groups, institution-free; multivariable Cox with age, sex
lung2 <- lung[!is.na(lung$ph.ecog), ]
add("lung_sex", lung2$time, as.integer(lung2$status == 2), group = as.character(lung2$sex),
    covars = data.frame(age = lung2$age, sex = lung2$sex, ph_ecog = lung2$ph.ecog),
    times = c(0, 180, 365, 730, 1100))

# 12. veteran data: four cell types, strata by prior therapy
add("veteran_celltype", veteran$time, veteran$status, group = as.character(veteran$celltype),
    strata = as.character(veteran$prior), times = c(30, 90, 180, 365, 1000))

# 13. larger simulated trial (GVHD-like), ties from rounding to 0.1 month
set.seed(2022)
n <- 400
g <- rep(c("control", "msc"), each = 200)
tt <- round(rexp(n, ifelse(g == "msc", 0.06, 0.09)), 1)
ce <- round(runif(n, 6, 48), 1)
ev <- as.integer(tt <= ce)
add("simulated_trial", pmin(tt, ce), ev, group = g, times = c(0, 6, 12, 24, 36, 60))

# 14. a group with no events at all (log-rank only; Cox coefficient infinite)
add("one_group_no_events", c(1, 2, 3, 4, 5, 2, 3, 6, 7, 8), c(1, 1, 0, 1, 1, 0, 0, 0, 0, 0),
    group = rep(c("ev", "none"), each = 5), times = c(1, 5, 9), cox = FALSE)

# ---------------------------------------------------------------- helpers
num <- function(x) as.numeric(x)

km_table <- function(fit) {
  st <- if (is.null(fit$strata)) rep("all", length(fit$time)) else
    rep(sub("^group=", "", names(fit$strata)), fit$strata)
  list(
    group = st, time = num(fit$time), n_risk = num(fit$n.risk),
    n_event = num(fit$n.event), n_censor = num(fit$n.censor), survival = num(fit$surv),
    std_err = num(fit$surv * fit$std.err), ci_low = num(fit$lower), ci_high = num(fit$upper)
  )
}

median_table <- function(fit) {
  tab <- summary(fit)$table
  if (is.null(dim(tab))) tab <- matrix(tab, nrow = 1, dimnames = list("all", names(tab)))
  rn <- if (is.null(fit$strata)) "all" else sub("^group=", "", rownames(tab))
  list(group = rn, median = num(tab[, "median"]), ci_low = num(tab[, 8]),
       ci_high = num(tab[, 9]))
}

quantile_table <- function(fit) {
  q <- quantile(fit, probs = probs)
  qm <- q$quantile; lo <- q$lower; hi <- q$upper
  if (is.null(dim(qm))) {
    qm <- matrix(qm, nrow = 1); lo <- matrix(lo, nrow = 1); hi <- matrix(hi, nrow = 1)
    rn <- "all"
  } else rn <- sub("^group=", "", rownames(qm))
  list(group = rep(rn, times = length(probs)), q = rep(probs, each = length(rn)),
       quantile = num(qm), ci_low = num(lo), ci_high = num(hi))
}

at_table <- function(fit, times) {
  s <- summary(fit, times = times, extend = TRUE)
  st <- if (is.null(s$strata)) rep("all", length(s$time)) else sub("^group=", "", as.character(s$strata))
  list(group = st, time = num(s$time), n_risk = num(s$n.risk), n_event = num(s$n.event),
       n_censor = num(s$n.censor), survival = num(s$surv), std_err = num(s$std.err),
       ci_low = num(s$lower), ci_high = num(s$upper))
}

# ---------------------------------------------------------------- compute
out <- list()
for (d in datasets) {
  df <- data.frame(time = d$time, event = d$event)
  res <- list(name = d$name, time = d$time, event = d$event)
  has_group <- !is.null(d$group)
  if (has_group) {
    df$group <- d$group
    res$group <- d$group
  }
  if (!is.null(d$strata)) {
    df$strata <- d$strata
    res$strata <- d$strata
  }
  form <- if (has_group) Surv(time, event) ~ group else Surv(time, event) ~ 1

  km <- list(); med <- list(); qu <- list()
  for (ct in conf_types) {
    fit <- survfit(form, data = df, conf.type = ct)
    km[[ct]] <- km_table(fit)
    med[[ct]] <- median_table(fit)
    qu[[ct]] <- quantile_table(fit)
  }
  fit90 <- survfit(form, data = df, conf.type = "log-log", conf.int = 0.9)
  res$km <- km
  res$km_loglog_90 <- km_table(fit90)
  res$median <- med
  res$median_loglog_90 <- median_table(fit90)
  res$quantile <- qu
  res$at_times <- d$times
  res$at <- at_table(survfit(form, data = df), d$times)

  if (has_group && length(unique(d$group)) > 1) {
    lr <- list()
    for (rho in c(0, 1)) {
      sd <- if (is.null(d$strata)) survdiff(form, data = df, rho = rho) else
        survdiff(Surv(time, event) ~ group + strata(strata), data = df, rho = rho)
      obs <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
      exp <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
      lr[[paste0("rho", rho)]] <- list(
        chisq = sd$chisq, df = length(sd$n) - 1, pvalue = sd$pvalue,
        observed = num(obs), expected = num(exp), variance = num(sd$var),
        groups = sub("^group=", "", names(sd$n))
      )
    }
    res$logrank <- lr
  }

  if (isTRUE(d$cox) && has_group && length(unique(d$group)) > 1) {
    cx <- list()
    for (ties in c("efron", "breslow")) {
      f <- if (is.null(d$strata)) coxph(Surv(time, event) ~ group, data = df, ties = ties) else
        coxph(Surv(time, event) ~ group + strata(strata), data = df, ties = ties)
      s <- summary(f, conf.int = 0.95)
      cx[[ties]] <- list(
        coef = num(coef(f)), se = num(sqrt(diag(vcov(f)))), loglik = num(f$loglik),
        score = num(f$score), wald = num(f$wald.test), lr = num(2 * diff(f$loglik)),
        pvalue = num(s$coefficients[, "Pr(>|z|)"]),
        ci_low = num(s$conf.int[, "lower .95"]), ci_high = num(s$conf.int[, "upper .95"]),
        names = names(coef(f)), iter = f$iter
      )
    }
    res$cox <- cx
  }
  if (!is.null(d$covars)) {
    cv <- d$covars
    res$covars <- as.list(cv)
    dd <- cbind(df, cv)
    cxm <- list()
    for (ties in c("efron", "breslow")) {
      f <- coxph(as.formula(paste("Surv(time, event) ~", paste(names(cv), collapse = "+"))),
                 data = dd, ties = ties)
      s <- summary(f, conf.int = 0.9)
      cxm[[ties]] <- list(
        coef = num(coef(f)), se = num(sqrt(diag(vcov(f)))), loglik = num(f$loglik),
        score = num(f$score), wald = num(f$wald.test), lr = num(2 * diff(f$loglik)),
        pvalue = num(s$coefficients[, "Pr(>|z|)"]),
        ci_low_90 = num(s$conf.int[, 3]), ci_high_90 = num(s$conf.int[, 4]),
        names = names(coef(f))
      )
    }
    res$cox_covars <- cxm
  }
  out[[d$name]] <- res
}

versions <- list(
  r = R.version.string,
  survival = as.character(packageVersion("survival")),
  jsonlite = as.character(packageVersion("jsonlite"))
)
write_json(list(versions = versions, datasets = out),
           file.path(outdir, "survival_reference.json"),
           digits = NA, auto_unbox = TRUE, na = "string", pretty = FALSE)
writeLines(c(versions$r, paste("survival", versions$survival),
             paste("jsonlite", versions$jsonlite)),
           file.path(outdir, "survival_versions.txt"))
cat("wrote", length(out), "data sets\n")
