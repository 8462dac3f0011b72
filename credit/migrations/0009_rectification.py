# Operations of rectification to the end (helper B), written by hand: see the issue 12 work split.

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0004_names_not_formulas'),
        ('credit', '0008_listing_rules'),
        ('portal', '0005_department'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='creditnotice',
            name='deduction_event',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='rectification_notice', to='credit.creditevent', verbose_name='deduction event'),
        ),
        migrations.AddField(
            model_name='creditnotice',
            name='delegated_street',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.street', verbose_name='re-inspection delegated to'),
        ),
        migrations.AddField(
            model_name='creditnotice',
            name='findings',
            field=models.TextField(blank=True, max_length=5000, verbose_name='findings'),
        ),
        migrations.AddField(
            model_name='creditnotice',
            name='measures',
            field=models.TextField(blank=True, max_length=5000, verbose_name='required measures'),
        ),
        migrations.AddField(
            model_name='historicalcreditnotice',
            name='deduction_event',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='credit.creditevent', verbose_name='deduction event'),
        ),
        migrations.AddField(
            model_name='historicalcreditnotice',
            name='delegated_street',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portal.street', verbose_name='re-inspection delegated to'),
        ),
        migrations.AddField(
            model_name='historicalcreditnotice',
            name='findings',
            field=models.TextField(blank=True, max_length=5000, verbose_name='findings'),
        ),
        migrations.AddField(
            model_name='historicalcreditnotice',
            name='measures',
            field=models.TextField(blank=True, max_length=5000, verbose_name='required measures'),
        ),
        migrations.AlterField(
            model_name='creditnotice',
            name='status',
            field=models.CharField(choices=[('issued', 'Issued'), ('answered', 'Answered'), ('rectified', 'Rectified'), ('overdue', 'Overdue'), ('sent_back', 'Sent back')], default='issued', max_length=10, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='historicalcreditnotice',
            name='status',
            field=models.CharField(choices=[('issued', 'Issued'), ('answered', 'Answered'), ('rectified', 'Rectified'), ('overdue', 'Overdue'), ('sent_back', 'Sent back')], default='issued', max_length=10, verbose_name='status'),
        ),
        migrations.CreateModel(
            name='CommendationPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('text', models.TextField(max_length=5000, verbose_name='policy support')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'commendation policy',
                'verbose_name_plural': 'commendation policies',
                'ordering': ['-year'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalCommendationPolicy',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(db_index=True, validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('text', models.TextField(max_length=5000, verbose_name='policy support')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
            ],
            options={
                'verbose_name': 'historical commendation policy',
                'verbose_name_plural': 'historical commendation policies',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalKeySupervisionEntry',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('reason', models.CharField(max_length=500, verbose_name='reason')),
                ('since', models.DateField(verbose_name='listed since')),
                ('removed_at', models.DateTimeField(blank=True, null=True, verbose_name='removed')),
                ('removal_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for removal')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('firm', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='companies.firm', verbose_name='firm')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('listed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='listed by')),
                ('notice', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='credit.creditnotice', verbose_name='notice')),
            ],
            options={
                'verbose_name': 'historical key-supervision entry',
                'verbose_name_plural': 'historical key-supervision entries',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalNoticeRound',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='round')),
                ('answer', models.TextField(max_length=5000, verbose_name='measures taken')),
                ('answered_at', models.DateTimeField(verbose_name='answered')),
                ('verdict', models.CharField(blank=True, choices=[('accepted', 'Accepted'), ('sent_back', 'Sent back')], max_length=10, verbose_name='verdict')),
                ('reasons', models.TextField(blank=True, max_length=5000, verbose_name='reasons')),
                ('inspected_at', models.DateTimeField(blank=True, null=True, verbose_name='re-inspected')),
                ('deadline_before', models.DateField(verbose_name='deadline when answered')),
                ('deadline_after', models.DateField(blank=True, null=True, verbose_name='new deadline')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('answered_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('inspected_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='re-inspected by')),
                ('notice', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='credit.creditnotice', verbose_name='notice')),
            ],
            options={
                'verbose_name': 'historical rectification round',
                'verbose_name_plural': 'historical rectification rounds',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSummons',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('scheduled_at', models.DateTimeField(verbose_name='date and time')),
                ('place', models.CharField(max_length=200, verbose_name='place')),
                ('created_at', models.DateTimeField(verbose_name='created')),
                ('minutes', models.TextField(blank=True, max_length=10000, verbose_name='minutes')),
                ('recorded_at', models.DateTimeField(blank=True, null=True, verbose_name='minutes recorded')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='summoned by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('notice', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='credit.creditnotice', verbose_name='notice')),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='minutes recorded by')),
            ],
            options={
                'verbose_name': 'historical summons',
                'verbose_name_plural': 'historical summonses',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='NoticeRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='round')),
                ('answer', models.TextField(max_length=5000, verbose_name='measures taken')),
                ('answered_at', models.DateTimeField(verbose_name='answered')),
                ('verdict', models.CharField(blank=True, choices=[('accepted', 'Accepted'), ('sent_back', 'Sent back')], max_length=10, verbose_name='verdict')),
                ('reasons', models.TextField(blank=True, max_length=5000, verbose_name='reasons')),
                ('inspected_at', models.DateTimeField(blank=True, null=True, verbose_name='re-inspected')),
                ('deadline_before', models.DateField(verbose_name='deadline when answered')),
                ('deadline_after', models.DateField(blank=True, null=True, verbose_name='new deadline')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                ('inspected_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='re-inspected by')),
                ('notice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rounds', to='credit.creditnotice', verbose_name='notice')),
            ],
            options={
                'verbose_name': 'rectification round',
                'verbose_name_plural': 'rectification rounds',
                'ordering': ['notice', 'number'],
            },
        ),
        migrations.CreateModel(
            name='NoticeEvidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(max_length=200, upload_to='credit/rectification/%Y/', validators=[django.core.validators.FileExtensionValidator(['pdf', 'jpg', 'jpeg', 'png'])], verbose_name='file')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='credit.noticeround', verbose_name='round')),
            ],
            options={
                'verbose_name': 'rectification evidence',
                'verbose_name_plural': 'rectification evidence',
                'ordering': ['round', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Summons',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scheduled_at', models.DateTimeField(verbose_name='date and time')),
                ('place', models.CharField(max_length=200, verbose_name='place')),
                ('created_at', models.DateTimeField(verbose_name='created')),
                ('minutes', models.TextField(blank=True, max_length=10000, verbose_name='minutes')),
                ('recorded_at', models.DateTimeField(blank=True, null=True, verbose_name='minutes recorded')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='summoned by')),
                ('notice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='summonses', to='credit.creditnotice', verbose_name='notice')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='minutes recorded by')),
            ],
            options={
                'verbose_name': 'summons',
                'verbose_name_plural': 'summonses',
                'ordering': ['notice', 'scheduled_at'],
            },
        ),
        migrations.CreateModel(
            name='KeySupervisionEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(max_length=500, verbose_name='reason')),
                ('since', models.DateField(verbose_name='listed since')),
                ('removed_at', models.DateTimeField(blank=True, null=True, verbose_name='removed')),
                ('removal_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for removal')),
                ('firm', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='key_supervision', to='companies.firm', verbose_name='firm')),
                ('listed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='listed by')),
                ('notice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='key_supervision', to='credit.creditnotice', verbose_name='notice')),
            ],
            options={
                'verbose_name': 'key-supervision entry',
                'verbose_name_plural': 'key-supervision entries',
                'ordering': ['-since', 'firm'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('removed_at__isnull', True)), fields=('notice',), name='keysupervision_one_current_per_notice')],
            },
        ),
        migrations.AddConstraint(
            model_name='noticeround',
            constraint=models.UniqueConstraint(fields=('notice', 'number'), name='noticeround_unique_number'),
        ),
        migrations.AddConstraint(
            model_name='noticeround',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('verdict', 'sent_back'), _negated=True), models.Q(('reasons', ''), _negated=True), _connector='OR'), name='noticeround_send_back_has_reasons'),
        ),
    ]
